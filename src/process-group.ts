// Signalling a detached child's whole process group.
import type { ChildProcess } from "node:child_process";

/** Signals the child's whole process group (it leads one when spawned detached). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
