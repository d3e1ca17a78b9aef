// Which audit log the audit subcommands read: the one `safe-sh -c` writes.
import { auditPath } from "../audit";
import { loadPolicy } from "../policy/load";

/** --log, else the policy's audit.path, else $SAFE_SH_AUDIT_LOG or the default. */
export function logPath(flags: { log?: string }): string {
  if (flags.log !== undefined) return auditPath(flags.log);
  return auditPath(loadPolicy().policy.audit.path);
}
