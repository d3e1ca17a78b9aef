// Signalling a detached child's whole process group, and knowing when the
// terminal has signalled ours already.
import fs = require("node:fs");

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

/** Signals a terminal sends to its whole foreground process group (Ctrl-C, Ctrl-\\, a resize). */
const TERMINAL_SIGNALS: ReadonlySet<NodeJS.Signals> = new Set(["SIGINT", "SIGQUIT", "SIGWINCH"]);

/**
 * True when `signal` most likely came from the terminal to our whole process
 * group (we are its foreground group), so a child in our group got it too and
 * forwarding it would deliver it twice (a trap running twice, Python's
 * cleanup interrupted). Node does not expose siginfo: a `kill -INT` aimed at
 * this process alone while it is in the foreground looks the same.
 */
export function reachedGroupFromTerminal(signal: NodeJS.Signals): boolean {
  if (!TERMINAL_SIGNALS.has(signal)) return false;
  let stat: string;
  try {
    stat = fs.readFileSync("/proc/self/stat", "utf8");
  } catch {
    return false; // no procfs: forward, as before
  }
  // After "pid (comm) ": state ppid pgrp session tty_nr tpgid …; comm may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const pgrp = Number(fields[2]);
  const foreground = Number(fields[5]);
  return foreground > 0 && foreground === pgrp;
}
