// The audit log as a front end's Session writes it: every record tagged with
// the client that asked (e.g. an MCP client's name).
import type { AuditLog } from "../audit";

/** The audit log with every record tagged with the client's name. */
export function tagged(audit: AuditLog, client: string): AuditLog {
  return {
    get path() {
      return audit.path;
    },
    get sessionId() {
      return audit.sessionId;
    },
    append: (...events) => audit.append(...events.map((event) => ({ ...event, client }))),
    addSecrets: (secrets) => audit.addSecrets(secrets),
    close: (timeoutMs) => audit.close(timeoutMs),
  };
}
