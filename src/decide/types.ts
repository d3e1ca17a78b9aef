// Types of the decide step (policy + classification → run/ask/refuse) and of
// approvals (who said yes or no to an "ask").
import type { Classification, SandboxMode } from "../types";
import type { RuleMatch } from "../policy/rules";
import type { ApprovalMode, PolicyNetworkMode } from "../policy/types";

export type Action = "run" | "ask" | "refuse";

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
  action: Action;
  /** Why, one line each: the rule, the risk and mode, or the escalation that set the action. */
  reasons: string[];
  /** The rule that set the action, when one did. */
  rule?: RuleMatch;
  /** The access this run gets if it runs (or is approved). */
  grant: Grant;
  /** True when the grant exceeds what the policy gives without asking. */
  escalation: boolean;
  /**
   * Argv prefixes that an "always" answer would add as allow rules. Absent
   * when allow rules could not make this run go without asking (an ask or
   * deny rule, an escalation, or risk from the script's structure).
   */
  remember?: string[][];
}

export interface ApprovalRequest {
  /** The script or argv as the agent gave it (shown to approvers). */
  command: string;
  classification: Classification;
  cwd: string;
  mode: ApprovalMode;
  decision: Decision;
}

export type Verdict = "approve" | "deny";
/** "rule": the policy decided without asking anyone (the decision was run or refuse). */
export type Approver = "rule" | "reviewer" | "human" | "session" | "none";

export interface ApprovalResult {
  verdict: Verdict;
  approver: Approver;
  reason: string;
  durationMs: number;
  /** For a denial nobody could be asked about: how to approve it next time. */
  hint?: string;
}
