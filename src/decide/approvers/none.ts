// The hints said with a denial: how to approve next time when nobody could be
// asked, and what would actually let a command the policy refuses run. Each
// names a change that works: a fix the sandbox or the rules would still
// defeat is not offered.
import path = require("node:path");
import { stringify } from "smol-toml";
import { describeRule } from "../../policy/rules";
import type { Policy } from "../../policy/types";
import { baseGrant, escalations, wideRoots } from "../grant";
import type { ApprovalRequest, Decision } from "../types";

const WIDE = "a system tree, / or the whole home";

/** Allow rules as TOML tables, one line each, so the lines can be pasted as they are. */
function allowRules(prefixes: string[][]): string {
  return stringify({ rules: prefixes.map((prefix) => ({ prefix, decision: "allow" })) }).trim();
}

/** Approval lets a command run, but the sandbox still keeps its writes to the writable roots. */
function outsideHint(decision: Decision, policy: Policy): string {
  const roots = decision.grant.writableRoots;
  const only = `the sandbox lets a command write only the workspace and its writable roots${roots.length > 0 ? ` (now ${roots.join(", ")})` : ""}, and this writes elsewhere (${decision.outside!.join("; ")})`;
  if (policy.approval === "never") {
    return `${only}. Under approval never ${WIDE} never becomes writable; another directory does when added to writable_roots in ${policy.userConfigFile}, together with an allow rule for the command`;
  }
  return `${only}, so approving it is not enough: add the directory to writable_roots in ${policy.userConfigFile} (asked about at every run if it is ${WIDE}) or run with --sandbox full-access (asked about at every run), and approve it interactively or through [approval.reviewer]`;
}

/** Said to whoever is asked about a write outside the workspace: a yes runs the command, it does not make the write possible. */
export function outsideCaveat(decision: Decision): string | undefined {
  if (!decision.outside) return undefined;
  return "approving runs the command, and the sandbox still refuses its writes outside the workspace and the writable roots";
}

/** approval never and a wider grant: what takes the escalation away, wherever it came from. */
function escalationHint(decision: Decision, policy: Policy): string {
  const base = baseGrant(policy);
  const asked = escalations(base, decision.grant);
  const ways = [
    ...(asked.length > 0 ? [`run without asking for ${asked.join(", ")}`] : []),
    ...wideRoots(base, undefined).map((line) => `${line}: take it out of writable_roots`),
    ...(decision.reasons.some((reason) => /^escalation: .*\bworkspace /.test(reason)) ? ["run from a narrower --workspace"] : []),
  ];
  return `approval never refuses wider access: ${[...ways, "or use another approval mode, which asks"].join("; ")}`;
}

/**
 * The hint printed with a denial nobody could be asked about (a decision
 * that asks): how to get it approved next time.
 */
export function approvalHint(request: ApprovalRequest, policy: Policy): string {
  const { decision } = request;
  if (decision.outside) return outsideHint(decision, policy);
  if (decision.remember) return `run interactively, or add to ${policy.userConfigFile}:\n${allowRules(decision.remember)}`;
  if (decision.escalation) {
    return "run interactively to approve the wider grant, or configure [approval.reviewer] (see docs/policy.md)";
  }
  return "run interactively, or configure [approval.reviewer] to decide without a terminal (see docs/policy.md)";
}

/** The hint printed with a refusal the policy itself made (a deny rule, requirements.toml, approval never). */
export function refusalHint(decision: Decision, policy: Policy): string {
  if (decision.reasons.some((reason) => reason.startsWith("requirements.toml"))) {
    return "requirements.toml is the administrator's: stay within the modes it allows, or ask the administrator";
  }
  const rule = decision.rule?.rule;
  if (rule) {
    const named = `${describeRule(rule)} in ${rule.source}`;
    // The strictest matching rule wins: a looser rule anywhere else changes nothing.
    if (path.basename(rule.source) === "requirements.toml") return `the ${rule.decision} rule ${named} is the administrator's: ask the administrator`;
    if (rule.decision === "deny") return `the deny rule ${named} refuses it: only changing that rule lets the command run (an allow rule elsewhere would not)`;
    return `the ask rule ${named} asks, and approval never refuses whatever asks: run it under another approval mode, or change that rule`;
  }
  if (decision.outside) return outsideHint(decision, policy);
  if (decision.escalation) return escalationHint(decision, policy);
  if (decision.remember) {
    return `approval ${policy.approval} refuses this risk without asking: run it under another approval mode, or add to ${policy.userConfigFile}:\n${allowRules(decision.remember)}`;
  }
  return `approval ${policy.approval} refuses this risk without asking, and part of it comes from the script as a whole, which no allow rule covers: run it under another approval mode`;
}
