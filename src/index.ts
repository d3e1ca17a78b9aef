// Public exports of the safe-sh library.
export { SafeShell, shellArgv, type Command, type ConfinedChild, type LaunchedRun, type RunEnd, type SafeShellOptions, type SpawnOptions, type StartOptions } from "./run";
export { Session, type SessionOptions, type SessionResult, type SessionRunOptions } from "./session";
export { gate, type GateContext, type GateOutcome, type GateRequest } from "./gate";
export { SafeShError, type ErrorCode, EXIT_FAILED, EXIT_REFUSED, EXIT_NOT_FOUND } from "./errors";
export { probe } from "./sandbox/native";
export { DEFAULT_MASKED, DEFAULT_PROTECTED } from "./sandbox/protected";
export { classifyArgv, classifyScript, classifyScriptSync, loadParser, type ClassifyOptions } from "./classify";
export { onDisk } from "./classify/disk";
export { loadPolicy, type LoadPolicyOptions, type LoadedPolicy } from "./policy/load";
export type { ApprovalMode, Policy, Rule } from "./policy/types";
export { decide } from "./decide/decide";
export { approve, type ApproveOptions, type HumanAnswer } from "./decide/approve";
export { ApprovalSession } from "./decide/session";
export type { ApprovalRequest, ApprovalResult, Decision, Grant } from "./decide/types";
export { openAudit, verifyChain, type AuditLog, type AuditOptions } from "./audit";
export { startProxy, type ProxyHandle, type ProxyOptions } from "./net";
export * from "./secrets";
export type {
  Classification,
  CommandInfo,
  EnforcementReport,
  LimitMechanism,
  LimitName,
  NetworkMode,
  NetworkRules,
  ProbeResult,
  Risk,
  RunOptions,
  RunResult,
  SandboxMode,
  SandboxOptions,
} from "./types";
export { NETWORK_MODES, RISKS, SANDBOX_MODES } from "./types";
export { REVIEW_VERDICTS, VERDICTS, type Answer, type ReviewVerdict, type Verdict } from "./verdict";
