// Public surface of the audit trail: open a log and append events; verify,
// tail and path helpers for the CLI and the sandbox (which masks auditDir()).
export { openAudit, type AuditLog, type AuditOptions } from "./writer";
export { verifyChain, type VerifyProblem, type VerifyReason, type VerifyResult } from "./verify";
export { auditDir, auditPath, chainFiles, DEFAULT_KEEP, DEFAULT_MAX_BYTES, lockPath } from "./rotate";
export { follow, formatLine, lastLines } from "./tail";
export { OtlpExporter, toLogRecord, type OtlpOptions, type OtlpStats } from "./otlp";
export {
  GENESIS_HASH,
  SCHEMA_VERSION,
  hashLine,
  serialise,
  type ApprovalEvent,
  type AuditEvent,
  type AuditEventType,
  type AuditRecord,
  type DecisionEvent,
  type ExecEvent,
  type ExitEvent,
  type NetworkEvent,
  type RepairEvent,
  type ReviewEvent,
} from "./record";
