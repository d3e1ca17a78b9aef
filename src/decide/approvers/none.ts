// The last approver: nobody could be asked, so the answer is no, with a hint
// on how to approve next time.
import { stringify } from "smol-toml";
import type { Policy } from "../../policy/types";
import type { ApprovalRequest } from "../types";

/** The one-line hint printed with a denial nobody could be asked about. */
export function approvalHint(request: ApprovalRequest, policy: Policy): string {
  const { decision } = request;
  if (decision.remember) {
    const rules = decision.remember.map((prefix) => stringify({ rules: [{ prefix, decision: "allow" }] }).replace(/\n(?!$)/g, " ").trim());
    return `add a rule: ${rules.join(" ")} in ${policy.userConfigFile}, or run interactively`;
  }
  if (decision.escalation) {
    return "run interactively to approve the wider grant, or configure [approval.reviewer] (see docs/policy.md)";
  }
  return "run interactively, or configure [approval.reviewer] to decide without a terminal (see docs/policy.md)";
}
