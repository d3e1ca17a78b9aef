// Signalling a detached child's whole process group.

/** What can be signalled: a ChildProcess, or a run from SafeShell.start(). */
export interface Killable {
  readonly pid?: number;
  kill(signal?: NodeJS.Signals): boolean;
}

/** Signals the child's whole process group (it leads one when spawned detached). */
export function killGroup(child: Killable, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
