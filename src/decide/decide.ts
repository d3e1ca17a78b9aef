// decide(): the pure function from classification + policy + context to a
// verdict (allow / ask / deny). The full table is in docs/approval-table.md.
import { describeRule, matchCommand, type RuleMatch } from "../policy/rules";
import type { ApprovalMode, Policy } from "../policy/types";
import { RISKS, type Classification, type Risk } from "../types";
import { baseGrant, escalations, forbiddenByRequirements, wantedGrant, wideRoots } from "./grant";
import { outsideWrites } from "./outside-writes";
import type { DecideContext, Decision } from "./types";
import { strictest, type Verdict } from "../verdict";
/** Risks that a sandboxed run contains; above these, on-request asks. */
const SANDBOXED_WORK: readonly Risk[] = ["read-only", "write", "network", "execute"];

/** What a mode does with a command no rule matched. */
export function riskVerdict(risk: Risk, mode: ApprovalMode): Verdict {
  switch (mode) {
    case "untrusted":
      return risk === "read-only" ? "allow" : "ask";
    case "on-request":
      return SANDBOXED_WORK.includes(risk) ? "allow" : "ask";
    case "on-failure":
      return "allow";
    case "never":
      return SANDBOXED_WORK.includes(risk) ? "allow" : "deny";
  }
}

/** What a mode does with a command a rule matched. */
export function ruleVerdict(decision: Verdict, mode: ApprovalMode): Verdict {
  if (decision !== "ask") return decision;
  return mode === "never" ? "deny" : "ask";
}

/** One contribution to the decision: a command, the script's structure, or the grant. */
interface Item {
  verdict: Verdict;
  reasons: string[];
  match?: RuleMatch;
  /** Set for a command no rule matched whose risk an allow rule would settle: the argv it would cover. */
  argv?: string[];
  /** The command writes outside the workspace (see Decision.outside). */
  outside?: string[];
}

function commandItems(classification: Classification, policy: Policy): Item[] {
  return classification.commands.map((command) => {
    const rule = matchCommand(policy.rules, command.argv);
    if (!rule) {
      const why = command.reasons.length > 0 ? `: ${command.reasons.join("; ")}` : "";
      const item: Item = { verdict: riskVerdict(command.risk, policy.approval), reasons: [`${command.risk} (${policy.approval})${why}`] };
      const outside = outsideWrites(command);
      // An allow rule would run it, and the sandbox would still refuse the write.
      if (outside.length > 0) return { ...item, outside };
      // A rule naming `$CMD` as written would allow whatever the variable holds.
      return command.nameNotLiteral ? item : { ...item, argv: command.argv };
    }
    const why = rule.reason ? `: ${rule.reason}` : "";
    return {
      verdict: ruleVerdict(rule.decision, policy.approval),
      reasons: [`${rule.decision} by ${describeRule(rule)} in ${rule.source}${why}`],
      match: { rule, argv: command.argv },
    };
  });
}

/** Risk the script's structure adds beyond its commands (parse errors, writing redirections, ...). */
function structureItem(classification: Classification, mode: ApprovalMode): Item | undefined {
  let risk = classification.risk;
  if (classification.parseError !== undefined && RISKS.indexOf(risk) < RISKS.indexOf("unknown")) risk = "unknown";
  const highest = Math.max(-1, ...classification.commands.map((c) => RISKS.indexOf(c.risk)));
  if (RISKS.indexOf(risk) <= highest) return undefined;
  const why = [...classification.reasons, ...(classification.parseError === undefined ? [] : [`parse error: ${classification.parseError}`])];
  return { verdict: riskVerdict(risk, mode), reasons: [`${risk} (${mode})${why.length > 0 ? `: ${why.join("; ")}` : ""}`] };
}

function grantItem(policy: Policy, context: DecideContext): { item?: Item; escalated: boolean; grant: Decision["grant"] } {
  const base = baseGrant(policy);
  const wanted = wantedGrant(base, context);
  const forbidden = forbiddenByRequirements(policy, wanted);
  if (forbidden.length > 0) return { item: { verdict: "deny", reasons: forbidden }, escalated: true, grant: wanted };
  const more = [...escalations(base, wanted), ...wideRoots(wanted, context.workspace)];
  if (more.length === 0) return { escalated: false, grant: wanted };
  const reasons = [`escalation: ${more.join(", ")}`];
  switch (policy.approval) {
    case "never":
      return { item: { verdict: "deny", reasons }, escalated: true, grant: wanted };
    case "on-failure":
      // Confined first: the wider grant is asked for only after a sandbox denial
      // (a workspace too wide to write is asked for at once: confinement can't narrow it).
      if (!context.retryAfterDenial) {
        const wide = wideRoots(base, context.workspace);
        if (wide.length === 0) return { escalated: false, grant: base };
        return { item: { verdict: "ask", reasons: [`escalation: ${wide.join(", ")}`] }, escalated: true, grant: base };
      }
      return { item: { verdict: "ask", reasons }, escalated: true, grant: wanted };
    default:
      return { item: { verdict: "ask", reasons }, escalated: true, grant: wanted };
  }
}

/**
 * Decides what happens to a classified script under a policy: the strictest
 * outcome over every command (a matching rule, else risk × approval mode),
 * the script's structure, and any escalation of the grant. Pure; never throws.
 */
export function decide(classification: Classification, policy: Policy, context: DecideContext): Decision {
  const items = commandItems(classification, policy);
  const structure = structureItem(classification, policy.approval);
  if (structure) items.push(structure);
  if (items.length === 0) items.push({ verdict: riskVerdict(classification.risk, policy.approval), reasons: [`${classification.risk} (${policy.approval}): empty script`] });
  const grant = grantItem(policy, context);
  if (grant.item) items.push(grant.item);

  const verdict = strictest(items.map((item) => item.verdict));
  const deciding = items.filter((item) => item.verdict === verdict);
  const decision: Decision = {
    verdict,
    reasons: deciding.flatMap((item) => item.reasons),
    grant: grant.grant,
    escalation: grant.escalated,
  };
  const match = deciding.find((item) => item.match)?.match;
  if (match) decision.rule = match;
  if (verdict !== "allow" && deciding.every((item) => item.argv !== undefined)) {
    decision.remember = deciding.map((item) => item.argv!);
  }
  const outside = deciding.flatMap((item) => item.outside ?? []);
  // Full access writes anywhere the user may: then an approval is all it takes.
  if (outside.length > 0 && grant.grant.sandbox !== "full-access") decision.outside = outside;
  return decision;
}
