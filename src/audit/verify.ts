// `safe-sh audit verify`: walks the chain across rotated files oldest-first
// and names the first bad line and why (edited, deleted, reordered, ...).
import fs = require("node:fs");
import { flock } from "../sandbox/native";
import { GENESIS_HASH, hashLine, parseRecord, type AuditRecord } from "./record";
import { openRegular } from "../regular-file";
import { chainFiles, lockPath, readChainFile } from "./rotate";

export type VerifyReason = "edited" | "deleted" | "reordered" | "inserted" | "truncated" | "invalid-json" | "missing";

export interface VerifyProblem {
  /** The file holding the bad line (the log path itself for `missing`). */
  file: string;
  /** 1-based line within `file`; 0 for `missing`. */
  line: number;
  reason: VerifyReason;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Files walked, oldest first. */
  files: string[];
  records: number;
  /** `genesis`: the chain starts at seq 1 from 64 zeros; `rotated`: older files were rotated away. */
  start: "genesis" | "rotated" | "empty";
  lastSeq?: number;
  /** Hash of the last complete line: pin it elsewhere to detect truncation at a line boundary. */
  lastHash?: string;
  problem?: VerifyProblem;
}

interface Entry {
  file: string;
  line: number;
  hash: string;
  record: AuditRecord | undefined;
  torn: boolean;
}

function readEntries(files: string[]): Entry[] {
  const entries: Entry[] = [];
  for (const file of files) {
    const data = readChainFile(file);
    let start = 0;
    for (let line = 1; start < data.length; line++) {
      const end = data.indexOf(0x0a, start);
      const bytes = data.subarray(start, end < 0 ? data.length : end);
      entries.push({ file, line, hash: hashLine(bytes), record: parseRecord(bytes.toString("utf8")), torn: end < 0 });
      start = end < 0 ? data.length : end + 1;
    }
  }
  return entries;
}

function at(entry: Entry, reason: VerifyReason, detail: string): VerifyProblem {
  return { file: entry.file, line: entry.line, reason, detail };
}

/** Why entry i does not follow entry i-1 (both parsed, the link broken). */
function diagnose(entries: Entry[], i: number, later: Map<string, number>): VerifyProblem {
  const entry = entries[i];
  const record = entry.record as AuditRecord;
  const previous = entries[i - 1];
  const prevSeq = (previous.record as AuditRecord).seq;
  const target = later.get(record.prev);
  if (target !== undefined && target >= i) return at(entry, "reordered", `its prev is the hash of a later line (${entries[target].file}:${entries[target].line})`);
  if (i >= 2 && record.prev === entries[i - 2].hash) return at(previous, "inserted", "the next record chains to the line before this one");
  if (record.seq <= prevSeq) return at(entry, "reordered", `seq ${record.seq} follows seq ${prevSeq}`);
  if (record.seq > prevSeq + 1) {
    const missing = record.seq - prevSeq - 1;
    return at(entry, "deleted", `${missing} record(s) missing before it (seq ${prevSeq + 1}..${record.seq - 1})`);
  }
  return at(previous, "edited", `its hash does not match the prev recorded by the next line`);
}

/** The first problem in the chain, or undefined when it is intact. */
function check(entries: Entry[], oldestIsRotated: boolean): VerifyProblem | undefined {
  const later = new Map(entries.map((entry, index) => [entry.hash, index]));
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.torn) return at(entry, "truncated", "the last line is incomplete (a writer died mid-record, or the file was cut)");
    const record = entry.record;
    if (!record) return at(entry, "invalid-json", "not a JSON record with seq and prev");
    if (i === 0) {
      const genesis = record.prev === GENESIS_HASH;
      if (genesis && record.seq !== 1) return at(entry, "deleted", `the chain starts at seq ${record.seq}, not 1`);
      if (!genesis && !oldestIsRotated) return at(entry, "deleted", "the first record chains to a record that is not here (earlier records or rotated files were removed)");
      continue;
    }
    if (record.prev !== entries[i - 1].hash) return diagnose(entries, i, later);
    const prevSeq = (entries[i - 1].record as AuditRecord).seq;
    if (record.seq !== prevSeq + 1) return at(entry, "edited", `seq ${record.seq} after seq ${prevSeq} although the hash link holds`);
  }
  return undefined;
}

/** Holds a shared lock on the writers' lock file (when there is one) while `body` reads. */
export function withSharedLock<T>(file: string, body: () => T): T {
  let fd: number | undefined;
  try {
    fd = openRegular(lockPath(file), fs.constants.O_RDONLY, 0o600, true);
    flock(fd, "shared");
  } catch {
    // No lock file (nothing written yet), not a regular file, or no addon: read unlocked; a torn
    // last line may then be a write in progress and is reported as such.
  }
  try {
    return body();
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Verifies the chain of `file` and its rotated predecessors. Never throws for
 * a broken chain (see `problem`); throws the fs error when a file cannot be read.
 */
export function verifyChain(file: string): VerifyResult {
  return withSharedLock(file, () => {
    const files = chainFiles(file);
    if (files.length === 0) {
      return { ok: false, files, records: 0, start: "empty", problem: { file, line: 0, reason: "missing", detail: "no audit log here (nothing recorded yet, or it was deleted)" } };
    }
    const entries = readEntries(files);
    const first = entries[0]?.record;
    const problem = check(entries, files[0] !== file);
    const lastComplete = [...entries].reverse().find((entry) => !entry.torn);
    return {
      ok: problem === undefined,
      files,
      records: entries.filter((entry) => !entry.torn).length,
      start: entries.length === 0 ? "empty" : first?.prev === GENESIS_HASH ? "genesis" : "rotated",
      lastSeq: lastComplete?.record?.seq,
      lastHash: lastComplete?.hash,
      ...(problem ? { problem } : {}),
    };
  });
}
