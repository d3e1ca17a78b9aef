// Seatbelt denials of one run, read from the unified log: every deny in the
// profile carries `safe-sh:<runId>`, so `log stream` can select this run's
// denials. They become audit records and tell on-failure what to ask for.
import path = require("node:path");
import type { ChildProcess } from "node:child_process";
import type { ViolationEvent } from "../../audit/record";

export interface SandboxViolation {
  runId: string;
  /** Process name and pid as the kernel reported them. */
  process: string;
  pid: number;
  /** Seatbelt operation, e.g. file-write-create, network-outbound, mach-lookup. */
  operation: string;
  /** Path, address or service the operation was denied on, when given. */
  target?: string;
}

/** The `log` predicate selecting this run's denials (runId as checked by seatbeltProfile: no quotes). */
export function violationPredicate(runId: string): string {
  return `eventMessage CONTAINS "safe-sh:${runId}"`;
}

/** argv for /usr/bin/log: one JSON object per line from now on. */
export function logStreamArgs(runId: string): string[] {
  return ["stream", "--style", "ndjson", "--level", "info", "--predicate", violationPredicate(runId)];
}

// "Sandbox: touch(4242) deny(1) file-write-create /Users/dev/x", with the
// profile's message (safe-sh:<runId>) somewhere on the line.
const DENIAL = /Sandbox: (.+?)\((\d+)\) deny(?:\(\d+\))? (\S+)(?: (.*))?$/;

/** One log line (ndjson object or plain text) → the denial it reports for `runId`, if any. */
export function parseViolation(line: string, runId: string): SandboxViolation | undefined {
  let message = line.trim();
  if (message.startsWith("{")) {
    try {
      message = String((JSON.parse(message) as { eventMessage?: unknown }).eventMessage ?? "");
    } catch {
      return undefined;
    }
  }
  const tag = `safe-sh:${runId}`;
  const at = message.indexOf(tag);
  // The tag must stand alone: run "ab" must not claim run "abc"'s denials.
  if (at < 0 || /[A-Za-z0-9_-]/.test(message[at + tag.length] ?? "")) return undefined;
  const match = DENIAL.exec(`${message.slice(0, at)}${message.slice(at + tag.length)}`.trim());
  if (!match) return undefined;
  const target = match[4]?.trim();
  return { runId, process: match[1]!, pid: Number(match[2]), operation: match[3]!, ...(target ? { target } : {}) };
}

/** The audit event for a denial (event type "violation"). */
export function violationEvent(violation: SandboxViolation, command: string | null): ViolationEvent {
  const { runId, ...rest } = violation;
  return { event: "violation", command, runId, ...rest };
}

export interface GrantHint {
  /** Directories whose write was denied: candidates for a writable root. */
  writableRoots: string[];
  /** Paths whose read was denied (masks or deny_read). */
  readPaths: string[];
  /** An outbound connection was denied. */
  network: boolean;
}

/** What a re-run would need for these denials: on-failure's question. */
export function grantHint(violations: readonly SandboxViolation[]): GrantHint {
  const writable = new Set<string>();
  const read = new Set<string>();
  let network = false;
  for (const v of violations) {
    if (v.operation.startsWith("network-")) network = true;
    else if (v.operation.startsWith("file-write") && v.target?.startsWith("/")) writable.add(path.posix.dirname(v.target));
    else if (v.operation.startsWith("file-read") && v.target?.startsWith("/")) read.add(v.target);
  }
  return { writableRoots: [...writable], readPaths: [...read], network };
}

/**
 * Starts `log stream` for one run before its command starts; stop() ends it
 * and returns the denials seen. `spawnLog` is child_process.spawn in
 * production, a stand-in in tests.
 */
export function watchViolations(runId: string, spawnLog: (file: string, args: string[]) => ChildProcess): { stop(): Promise<SandboxViolation[]> } {
  const found: SandboxViolation[] = [];
  const child = spawnLog("/usr/bin/log", logStreamArgs(runId));
  let pending = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const violation = parseViolation(line, runId);
      if (violation) found.push(violation);
    }
  });
  child.on("error", () => undefined);
  return {
    stop: () =>
      new Promise((resolve) => {
        // The log reaches `log stream` a little after the denial: let it drain.
        setTimeout(() => {
          child.once("close", () => resolve(found));
          if (child.exitCode !== null || child.signalCode !== null || !child.kill("SIGTERM")) resolve(found);
        }, 250);
      }),
  };
}
