// Where the audit files live (default path, overrides, rotated names) and
// size-based rotation: audit.jsonl → audit.1.jsonl → … → audit.N.jsonl.
import fs = require("node:fs");
import path = require("node:path");
import { readRegular } from "../regular-file";
import { resolveLocations } from "../policy/locations";

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_KEEP = 5;
/** Largest chain file verify and tail read whole: far above maxBytes, far below what would exhaust memory. */
const MAX_READ_BYTES = 1024 * 1024 * 1024;

/**
 * The audit log's path: `configured` (config `audit.path`; it wins so an
 * admin-pinned location cannot be redirected by the environment an agent
 * controls), else `$SAFE_SH_AUDIT_LOG`, else
 * `audit.jsonl` in the state directory (see resolveLocations: $SAFE_SH_STATE_DIR,
 * else `$XDG_STATE_HOME/safe-sh`, else `~/.local/state/safe-sh`).
 */
export function auditPath(configured?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (configured) return path.resolve(configured);
  if (env.SAFE_SH_AUDIT_LOG) return path.resolve(env.SAFE_SH_AUDIT_LOG);
  return path.join(resolveLocations({ env }).stateDir, "audit.jsonl");
}

/** The directory holding the log, its rotated files and its lock: the sandbox masks it (deny-read). */
export function auditDir(configured?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.dirname(auditPath(configured, env));
}

/** `audit.jsonl` → `audit.3.jsonl` for n = 3; a name without extension gets `.3` appended. */
export function rotatedPath(file: string, n: number): string {
  const ext = path.extname(file);
  return ext ? `${file.slice(0, -ext.length)}.${n}${ext}` : `${file}.${n}`;
}

/** The lock file writers serialise on; it never rotates, so a lock always means the same log. */
export function lockPath(file: string): string {
  return `${file}.lock`;
}

/**
 * Existing chain files, oldest first: audit.N.jsonl … audit.1.jsonl,
 * audit.jsonl. Gaps are kept (a deleted audit.2.jsonl leaves audit.3 in the
 * list) so verify sees the break instead of silently starting later.
 */
export function chainFiles(file: string): string[] {
  const ext = path.extname(file);
  const stem = path.basename(file, ext);
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^${escape(stem)}\\.(\\d+)${escape(ext)}$`);
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {
    names = [];
  }
  const files = names
    .map((name) => Number(pattern.exec(name)?.[1] ?? 0))
    .filter((n) => n >= 1)
    .sort((a, b) => b - a)
    .map((n) => rotatedPath(file, n));
  if (fs.existsSync(file)) files.push(file);
  return files;
}

/**
 * Shifts the files by one and moves the current log to `.1`. Never deletes
 * history: when `keep` rotated files exist already, it throws an error with
 * code EAUDITFULL instead (an agent running many commands must not be able
 * to push earlier records out; the user archives them). Call only while
 * holding the writer lock. Throws the fs error (the writer maps it to
 * ERR_SAFESH_AUDIT_UNAVAILABLE).
 */
export function rotate(file: string, keep: number): void {
  let last = 1;
  while (fs.existsSync(rotatedPath(file, last))) last++;
  if (last > keep) {
    const message = `the audit trail is full (${last - 1} rotated file(s) kept, the limit is ${keep}); rotating would delete ${rotatedPath(file, last - 1)}`;
    throw Object.assign(new Error(message), { code: "EAUDITFULL" });
  }
  for (let n = last - 1; n >= 1; n--) fs.renameSync(rotatedPath(file, n), rotatedPath(file, n + 1));
  fs.renameSync(file, rotatedPath(file, 1));
}

/**
 * A chain file's bytes, for verify and tail: a regular file only (a FIFO
 * would block the read forever, a device never end). Throws the fs error, or
 * one with code EFTYPE / EFBIG.
 */
export function readChainFile(file: string): Buffer {
  return readRegular(file, MAX_READ_BYTES);
}
