// Types of the decide step (policy + classification → allow/ask/deny) and of
// approvals (who answered an "ask", and how).
import type { Classification, SandboxMode } from "../types";
import type { RuleMatch } from "../policy/rules";
import type { ApprovalMode, PolicyNetworkMode } from "../policy/types";
import type { Answer, Verdict } from "../verdict";

/** The access a run gets: what the sandbox plan is built from. */
export interface Grant {
  sandbox: SandboxMode;
  network: PolicyNetworkMode;
  /** Extra writable roots beyond the workspace and its private TMPDIR. */
  writableRoots: string[];
}

export interface DecideContext {
  /** Working directory of the command (part of the session-approval key). */
  cwd: string;
  /** The workspace the run may write (a `/`, a system tree or the whole home is an escalation). */
  workspace?: string;
  /** More access than the policy gives, asked for up front (e.g. a --sandbox flag). */
  request?: Partial<Grant>;
  /** The previous confined run was stopped by the sandbox: this asks to re-run with more access. */
  retryAfterDenial?: boolean;
}

export interface Decision {
  verdict: Verdict;
  /** Why, one line each: the rule, the risk and mode, or the escalation that set the verdict. */
  reasons: string[];
  /** The rule that set the verdict, when one did. */
  rule?: RuleMatch;
  /** The access this run gets if it runs (or is approved). */
  grant: Grant;
  /** True when the grant exceeds what the policy gives without asking. */
  escalation: boolean;
  /**
   * Argv prefixes allow rules would need to cover for this run to go without
   * asking (what an "always" answer adds). Absent when the verdict is allow,
   * or allow rules could not settle it (an ask or deny rule, an escalation,
   * risk from the script's structure, a write outside the workspace).
   */
  remember?: string[][];
  /**
   * Why the run writes outside the workspace, one line each, unless its
   * sandbox is full-access: the sandbox refuses those writes whoever
   * approves, unless the place is one of the writable roots.
   */
  outside?: string[];
}

export interface ApprovalRequest {
  /** The script or argv as the agent gave it (shown to approvers). */
  command: string;
  classification: Classification;
  cwd: string;
  mode: ApprovalMode;
  decision: Decision;
}

/** "rule": the policy decided without asking anyone (the decision was allow or deny). */
export type Approver = "rule" | "reviewer" | "human" | "session" | "none";

export interface ApprovalResult {
  verdict: Answer;
  approver: Approver;
  reason: string;
  durationMs: number;
  /** For a denial nobody could be asked about: how to approve it next time. */
  hint?: string;
}
