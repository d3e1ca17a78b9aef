// `safe-sh audit tail`: the last N lines across rotated files, a one-line
// human rendering of a record, and following the log across rotation.
import fs = require("node:fs");
import { parseRecord } from "./record";
import { readVerdict } from "../verdict";
import { openRegular } from "../regular-file";
import { chainFiles, readChainFile } from "./rotate";

/** The last `n` complete lines of the chain (oldest first), reading rotated files only when needed. */
export function lastLines(file: string, n: number): string[] {
  const out: string[] = [];
  for (const each of chainFiles(file).reverse()) {
    if (out.length >= n) break;
    const lines = readChainFile(each).toString("utf8").split("\n");
    lines.pop(); // the part after the last newline: empty, or a torn line
    out.unshift(...lines.slice(Math.max(0, lines.length - (n - out.length))));
  }
  return out;
}

/** `2025-01-02T03:04:05.678Z  exit      status 0    git status` — time, event, decision/status, command. */
export function formatLine(line: string): string {
  const record = parseRecord(line);
  if (!record) return `?  invalid line: ${line.slice(0, 120)}`;
  let outcome: string;
  switch (record.event) {
    case "decision": outcome = `${readVerdict(record.decision) ?? record.decision} (${record.risk})`; break;
    case "approval": outcome = `${readVerdict(record.verdict) ?? record.verdict} by ${record.approver}`; break;
    case "exec": outcome = (record.degraded as string[] | undefined)?.length ? "degraded" : "confined"; break;
    case "exit": outcome = record.signal ? `signal ${record.signal}` : `status ${record.exitCode}`; break;
    case "network": outcome = `${record.decision} ${record.host}:${record.port}`; break;
    case "review": outcome = `${readVerdict(record.verdict) ?? record.verdict} by ${record.model}`; break;
    case "repair": outcome = `torn ${(record.torn as { bytes: number }).bytes} bytes`; break;
    default: outcome = "";
  }
  return `${record.time}  ${String(record.event).padEnd(8)}  ${outcome.padEnd(18)}  ${record.command ?? ""}`;
}

export interface FollowOptions {
  /** Called once per complete new line. */
  onLine(line: string): void;
  /** Stops following when aborted. */
  signal: AbortSignal;
  /** Poll interval. Default 100 ms. */
  intervalMs?: number;
}

/**
 * The complete lines of the files rotated after the one with inode `ino`
 * (audit.K-1 … audit.1 when it is now audit.K) and before the one with inode
 * `openIno` (already open, read whole by the caller, and maybe rotated too
 * by now): several rotations may happen between two polls.
 */
function newerRotated(file: string, ino: number, openIno: number): string[] {
  const rotated = chainFiles(file).filter((each) => each !== file).reverse(); // audit.1, audit.2, …
  const inodes = rotated.map((each) => fs.statSync(each, { throwIfNoEntry: false })?.ino);
  const index = inodes.indexOf(ino);
  const from = inodes.indexOf(openIno) + 1; // 0 when the open file is still the current one
  return rotated.slice(from, Math.max(index, from)).reverse().flatMap((each) => readChainFile(each).toString("utf8").split("\n").slice(0, -1));
}

/**
 * Prints lines appended to `file` after the current end, until `signal`
 * aborts. On rotation (the path names a new inode) it drains the old file
 * from its open fd, reads any files rotated since, then the new one from its
 * start; when a repair shrank the file it drops the torn bytes.
 * Resolves when aborted.
 */
export function follow(file: string, options: FollowOptions): Promise<void> {
  let fd: number | undefined;
  let ino = 0;
  let offset = 0;
  let pending = Buffer.alloc(0);
  const open = (fromEnd: boolean): void => {
    try {
      fd = openRegular(file, fs.constants.O_RDONLY);
    } catch {
      fd = undefined; // not there yet (first record, or mid-rotation), or not a log: try again next tick
      return;
    }
    const stat = fs.fstatSync(fd);
    ino = stat.ino;
    offset = fromEnd ? stat.size : 0;
    pending = Buffer.alloc(0);
  };
  const drain = (): void => {
    if (fd === undefined) return;
    const chunk = Buffer.alloc(64 * 1024);
    for (let read = fs.readSync(fd, chunk, 0, chunk.length, offset); read > 0; read = fs.readSync(fd, chunk, 0, chunk.length, offset)) {
      offset += read;
      pending = Buffer.concat([pending, chunk.subarray(0, read)]);
    }
    for (let nl = pending.indexOf(0x0a); nl >= 0; nl = pending.indexOf(0x0a)) {
      options.onLine(pending.subarray(0, nl).toString("utf8"));
      pending = pending.subarray(nl + 1);
    }
  };
  const poll = (): void => {
    if (fd === undefined) {
      open(false);
      drain();
      return;
    }
    drain();
    let current: fs.Stats | undefined;
    try {
      current = fs.statSync(file);
    } catch {
      current = undefined;
    }
    if (current && current.ino !== ino) {
      drain(); // every write to the old file precedes its rename, so this gets the rest
      fs.closeSync(fd);
      const old = ino;
      // Open the new file first: if it rotates too meanwhile, it is read from this fd, not lost.
      open(false);
      newerRotated(file, old, fd === undefined ? 0 : ino).forEach((line) => options.onLine(line));
      drain();
    } else if (current && current.size < offset) {
      offset = current.size; // a writer cut a torn last line away (repair)
      pending = Buffer.alloc(0);
    }
  };
  open(true);
  return new Promise((resolve) => {
    const timer = setInterval(poll, options.intervalMs ?? 100);
    const stop = (): void => {
      clearInterval(timer);
      if (fd !== undefined) fs.closeSync(fd);
      resolve();
    };
    if (options.signal.aborted) stop();
    else options.signal.addEventListener("abort", stop, { once: true });
  });
}
