// The decision gate in front of every run: classify the command, decide by
// policy and approval mode, ask an approver when needed, and record the
// decision and the approval in the audit trail before anything runs.
import path = require("node:path");
import type { AuditEvent, AuditLog } from "./audit";
import type { CommandBytes } from "./audit/record";
import { randomId } from "./random-id";
import { refuseNulInCommand } from "./nul-bytes";
import { classifyArgv, classifyScript, loadParser } from "./classify";
import { onDisk } from "./classify/disk";
import { approve, type ApproveOptions } from "./decide/approve";
import { decide } from "./decide/decide";
import type { ApprovalSession } from "./decide/session";
import type { ApprovalResult, Decision, Grant } from "./decide/types";
import type { Policy } from "./policy/types";
import type { Classification } from "./types";

export interface GateRequest {
  /** The script (bash -c) or argv as given. */
  command: string | readonly string[];
  /** The command as shown to approvers and in the audit trail. */
  display: string;
  /** Its exact bytes, when they are not UTF-8 (recorded beside `display`). */
  commandBytes?: CommandBytes;
  cwd: string;
  /** The directory the run may write; a system tree or the whole home is an escalation. */
  workspace?: string;
  /** Access asked for beyond the policy (e.g. CLI flags written by the agent): an escalation. */
  request?: Partial<Grant>;
  /** The previous confined run hit the sandbox: ask to re-run with more access. */
  retryAfterDenial?: boolean;
}

export interface GateContext {
  policy: Policy;
  session: ApprovalSession;
  audit: AuditLog;
  /** How approvers are reached: the terminal (ttyPath), or the caller's own channel (ask). */
  approvers: ApproveOptions;
  /** Reuse a classification of the same command (on-failure retries). */
  classification?: Classification;
}

export interface GateOutcome {
  allowed: boolean;
  classification: Classification;
  decision: Decision;
  approval: ApprovalResult;
  /** Ties this run's audit records together. */
  runId: string;
}

const SHELLS = new Set(["bash", "sh", "dash", "zsh", "ksh", "mksh", "ash", "busybox"]);

/** The audit record of an approval: the one mapping from an approver's answer to the trail. */
export function approvalEvent(approval: ApprovalResult, base: { command: string; cwd: string; runId: string }): AuditEvent {
  return {
    ...base,
    event: "approval",
    approver: approval.approver,
    verdict: approval.verdict,
    reason: approval.reason,
    durationMs: approval.durationMs,
  };
}

/** Classifies a script or an argv run in cwd. */
export async function classify(command: string | readonly string[], cwd: string): Promise<Classification> {
  // The file system tells `> file` or `cp a file` onto a file that is there already (destroyed) from a new one.
  const options = onDisk(cwd);
  // An argv such as ["sudo", "bash", "-c", SCRIPT] is analysed through its
  // script, which needs the grammar; a plain script loads it only if needed.
  if (typeof command !== "string" && command.some((word) => SHELLS.has(path.basename(word)))) await loadParser();
  return typeof command === "string" ? classifyScript(command, options) : classifyArgv([...command], options);
}

/** Classifies (once), decides, approves, and records both steps. Throws ERR_SAFESH_USAGE for a NUL byte in the command, ERR_SAFESH_AUDIT_UNAVAILABLE when the trail can't be written. */
export async function gate(request: GateRequest, context: GateContext): Promise<GateOutcome> {
  const { policy, audit } = context;
  refuseNulInCommand(request.command);
  const runId = randomId();
  const classification = context.classification ?? (await classify(request.command, request.cwd));
  const decision = decide(classification, policy, {
    cwd: request.cwd,
    ...(request.workspace === undefined ? {} : { workspace: request.workspace }),
    ...(request.request ? { request: request.request } : {}),
    ...(request.retryAfterDenial ? { retryAfterDenial: true } : {}),
  });
  const base = { command: request.display, cwd: request.cwd, runId, ...(request.commandBytes ? { commandBytes: request.commandBytes } : {}) };
  const decided: AuditEvent = {
    ...base,
    event: "decision",
    risk: classification.risk,
    reasons: [...classification.reasons, ...decision.reasons],
    decision: decision.verdict,
    rule: decision.rule ? `prefix:${decision.rule.rule.prefix.join(" ")}` : `mode:${policy.approval}`,
    approvalMode: policy.approval,
  };
  const approved = (approval: ApprovalResult) => approvalEvent(approval, base);
  const ask = () => approve({ command: request.display, classification, cwd: request.cwd, mode: policy.approval, decision }, policy, context.session, context.approvers);
  let approval: ApprovalResult;
  if (decision.verdict === "ask") {
    // On record before anybody is asked: an approver that hangs or dies leaves the decision behind.
    warn(audit.append(decided));
    approval = await ask();
    warn(audit.append(approved(approval)));
  } else {
    // The rule answers at once: both records in one locked append.
    approval = await ask();
    warn(audit.append(decided, approved(approval)));
  }
  return { allowed: approval.verdict === "allow", classification, decision, approval, runId };
}

/** A best-effort audit log returns a warning instead of throwing: say it. */
export function warn(warning: string | undefined): void {
  if (warning) process.stderr.write(`safe-sh: warning: ${warning}\n`);
}
