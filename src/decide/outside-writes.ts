// Writes outside the workspace: whatever an approver or an allow rule says,
// the sandbox lets a command write only its writable roots, so these need a
// wider grant, not an approval.
import type { CommandInfo } from "../types";

/**
 * The classifier's reasons for a command that writes outside the workspace
 * (`touch /etc/x: changes /etc/x, outside the workspace`, `> ~/x: writes
 * outside the workspace`); empty when it writes none.
 */
export function outsideWrites(command: CommandInfo): string[] {
  return command.reasons.filter((reason) => reason.endsWith("outside the workspace"));
}
