// approve(): resolves a decision to a verdict, asking in order the session
// cache, the reviewer program, the human (on /dev/tty or the caller's own
// channel), and otherwise nobody.
import type { Policy } from "../policy/types";
import { approvalHint, refusalHint } from "./approvers/none";
import type { ApprovalSession } from "./session";
import type { ApprovalRequest, ApprovalResult, Approver } from "./types";
import type { Answer } from "../verdict";

/** A human's answer through some channel other than the terminal (e.g. MCP elicitation). */
export type HumanAnswer = "once" | "session" | "deny" | "unavailable";

export interface ApproveOptions {
  /** The terminal to prompt on; default "/dev/tty"; null never prompts. */
  ttyPath?: string | null;
  /** Asks the human another way; tried instead of the terminal. */
  ask?: (request: ApprovalRequest) => Promise<HumanAnswer>;
}

/**
 * Resolves a decision: "allow" and "deny" are the policy's own answers
 * (approver "rule"); "ask" goes to the session cache, then the reviewer
 * (whose "escalate" passes on), then the terminal, then a denial with a hint.
 * Never rejects for an approver's failure (a broken reviewer denies); an
 * "always" answer throws ERR_SAFESH_POLICY_INVALID if the user config file
 * cannot take the new rule.
 */
export async function approve(request: ApprovalRequest, policy: Policy, session: ApprovalSession, options: ApproveOptions = {}): Promise<ApprovalResult> {
  const started = process.hrtime.bigint();
  const result = (verdict: Answer, approver: Approver, reason: string, hint?: string): ApprovalResult => ({
    verdict,
    approver,
    reason,
    durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    ...(hint === undefined ? {} : { hint }),
  });
  const { decision } = request;
  if (decision.verdict === "allow") return result("allow", "rule", decision.reasons.join("; "));
  if (decision.verdict === "deny") return result("deny", "rule", decision.reasons.join("; "), refusalHint(decision, policy));

  if (session.has(request.command, request.cwd, decision.grant)) return result("allow", "session", "approved earlier in this session");

  if (policy.reviewer) {
    // Approvers load only when something is asked: most runs never ask.
    const { runReviewer } = await import("./approvers/reviewer");
    const review = await runReviewer(policy.reviewer, request);
    if (review.verdict !== "escalate") return result(review.verdict, "reviewer", review.reason);
  }

  if (options.ask) {
    const answer = await options.ask(request);
    if (answer === "deny") return result("deny", "human", "denied by the client's user");
    if (answer === "once") return result("allow", "human", "approved once by the client's user");
    if (answer === "session") {
      session.add(request.command, request.cwd, decision.grant);
      return result("allow", "human", "approved for this session by the client's user");
    }
  } else if (options.ttyPath !== null) {
    const { askTerminal } = await import("./approvers/tty");
    const answer = await askTerminal(request, policy.userConfigFile, options.ttyPath ?? "/dev/tty");
    switch (answer) {
      case "unavailable":
        break;
      case "deny":
        return result("deny", "human", "denied at the terminal");
      case "once":
        return result("allow", "human", "approved once at the terminal");
      case "session":
        session.add(request.command, request.cwd, decision.grant);
        return result("allow", "human", "approved for this session at the terminal");
      case "always":
        (await import("../policy/append-rule")).appendAllowRules(policy.userConfigFile, decision.remember ?? [], "approved always at the terminal");
        session.add(request.command, request.cwd, decision.grant);
        return result("allow", "human", `approved always: allow rule added to ${policy.userConfigFile}`);
    }
  }
  return result("deny", "none", "approval needed but no reviewer or terminal could be asked", approvalHint(request, policy));
}
