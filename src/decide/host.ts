// The decision for a host the network allowlist doesn't name: an escalation
// of the run's grant that only an approver can answer.
import type { Decision, Grant } from "./types";

/** What approvers are shown for a connection to an unlisted host. */
export function hostDecision(host: string, port: number, grant: Grant): Decision {
  return { verdict: "ask", reasons: [`${host}:${port} is not in [network] allow`], grant, escalation: true };
}
