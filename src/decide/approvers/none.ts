// The last approver: nobody could be asked, so the answer is no, with a hint
// on how to approve next time.
import { stringify } from "smol-toml";
import type { Policy } from "../../policy/types";
import type { ApprovalRequest, Decision } from "../types";

/**
 * The hint printed with a denial nobody could be asked about. Rules to add
 * come as TOML tables, one line each, so the lines can be pasted as they are.
 */
export function approvalHint(request: ApprovalRequest, policy: Policy): string {
  const { decision } = request;
  if (decision.remember) {
    const rules = stringify({ rules: decision.remember.map((prefix) => ({ prefix, decision: "allow" })) }).trim();
    return `run interactively, or add to ${policy.userConfigFile}:\n${rules}`;
  }
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
  if (decision.rule?.rule.decision === "deny") return `the rule is in ${decision.rule.rule.source}: change it there if the command should run`;
  if (decision.escalation) return "approval never refuses wider access: run without --sandbox/--network, from a narrower workspace, or with another approval mode";
  return `approval ${policy.approval} refuses this risk without asking: run it under another approval mode, or add an allow rule to ${policy.userConfigFile}`;
}
