// The locked append: under flock(2) read the chain's tail backwards, cut a
// torn last line away (recording a `repair`), rotate, write with one write(2).
import fs = require("node:fs");
import path = require("node:path");
import { SafeShError } from "../errors";
import { flock } from "../sandbox/native";
import { openRegular } from "../regular-file";
import { capEvent } from "./cap";
import { randomId } from "../random-id";
import { GENESIS_HASH, SCHEMA_VERSION, hashLine, parseRecord, redact, serialise, type AuditEvent, type AuditRecord } from "./record";
import { OtlpExporter, type OtlpOptions } from "./otlp";
import { DEFAULT_KEEP, DEFAULT_MAX_BYTES, auditPath, lockPath, rotate, rotatedPath } from "./rotate";

export interface WriterConfig {
  /** Absolute path of the current log file. */
  path: string;
  session: string;
  secrets: Record<string, string>;
  /** fsync(2) after every append. Default false. */
  fsync?: boolean;
  /** Rotate before an append would grow the file past this. Default 10 MiB. */
  maxBytes?: number;
  /** Rotated files kept. Default 5. */
  keep?: number;
}

/** A record as written: the parsed object and its exact line (no newline). */
export interface Written {
  record: AuditRecord;
  line: string;
}

const CHUNK = 64 * 1024;
/** Torn bytes up to this size are kept verbatim (base64) in the repair record. */
const TORN_KEEP_MAX = 64 * 1024;

/** Offset of the last "\n" strictly before `end`, or -1; reads backwards in chunks. */
function lastNewline(fd: number, end: number): number {
  // A record is a few hundred bytes: look at a small window first, then grow.
  // allocUnsafe: every byte compared is one just read.
  const chunk = Buffer.allocUnsafe(CHUNK);
  for (let stop = end, window = 4096; stop > 0; window = CHUNK) {
    const start = Math.max(0, stop - window);
    const read = fs.readSync(fd, chunk, 0, stop - start, start);
    const at = chunk.subarray(0, read).lastIndexOf(0x0a);
    if (at >= 0) return start + at;
    stop = start;
  }
  return -1;
}

interface Tail {
  /** Hash and seq of the last complete line; undefined when there is none. */
  last?: { hash: string; seq: number };
  /** Offset where the torn (newline-less) last line starts; equals size when there is none. */
  tornStart: number;
}

function readTail(fd: number, size: number): Tail {
  const tornStart = size === 0 ? 0 : lastNewline(fd, size) + 1;
  if (tornStart === 0) return { tornStart };
  const lineStart = lastNewline(fd, tornStart - 1) + 1;
  const line = Buffer.alloc(tornStart - 1 - lineStart);
  fs.readSync(fd, line, 0, line.length, lineStart);
  // A tampered (unparsable) last line still chains by its bytes; verify reports it.
  return { last: { hash: hashLine(line), seq: parseRecord(line.toString("utf8"))?.seq ?? 0 }, tornStart };
}

/** The chain's tail carried over from the newest rotated file, for a fresh current file. */
function carriedTail(file: string): { hash: string; seq: number } {
  let fd: number;
  try {
    fd = openRegular(rotatedPath(file, 1), fs.constants.O_RDONLY, 0o600, true);
  } catch {
    return { hash: GENESIS_HASH, seq: 0 };
  }
  try {
    return readTail(fd, fs.fstatSync(fd).size).last ?? { hash: GENESIS_HASH, seq: 0 };
  } finally {
    fs.closeSync(fd);
  }
}

function readTorn(fd: number, start: number, size: number): AuditEvent {
  const torn = Buffer.alloc(size - start);
  fs.readSync(fd, torn, 0, torn.length, start);
  const kept = torn.length <= TORN_KEEP_MAX ? { base64: torn.toString("base64") } : {};
  return { event: "repair", command: null, torn: { bytes: torn.length, sha256: hashLine(torn), ...kept } };
}

function withLock<T>(file: string, body: () => T): T {
  const lockFd = openRegular(lockPath(file), fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600, true);
  try {
    flock(lockFd, "exclusive");
    return body();
  } finally {
    fs.closeSync(lockFd); // closing the last fd drops the flock
  }
}

/**
 * mkdir -p, one level at a time: fs.mkdirSync's recursive mode spins forever
 * on a parent that can't hold directories (/proc/nope). Throws the fs error.
 */
function makeDirs(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return;
    if (code !== "ENOENT" || path.dirname(dir) === dir) throw error;
    makeDirs(path.dirname(dir));
    fs.mkdirSync(dir, { mode: 0o700 });
  }
}

/** The log itself: a regular file, never a FIFO or device, never through a symlink (a replaced log would start a new chain elsewhere). */
function openLog(file: string): number {
  return openRegular(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o600, true);
}

function shortWrite(): NodeJS.ErrnoException {
  return Object.assign(new Error("short write (ENOSPC)"), { code: "ENOSPC", syscall: "write" });
}

/**
 * Appends `event` (redacted, chained, one write(2)) while holding the writer
 * lock. Throws the underlying fs/native error; `openAudit` maps it to
 * ERR_SAFESH_AUDIT_UNAVAILABLE. Returns what was written (a `repair` record
 * first when the previous writer died mid-line).
 */
export function appendLocked(config: WriterConfig, ...appended: AuditEvent[]): Written[] {
  makeDirs(path.dirname(config.path));
  return withLock(config.path, () => {
    let fd = openLog(config.path);
    try {
      let size = fs.fstatSync(fd).size;
      const tail = readTail(fd, size);
      const events: AuditEvent[] = [];
      if (tail.tornStart < size) {
        events.push(readTorn(fd, tail.tornStart, size));
        fs.ftruncateSync(fd, tail.tornStart);
        size = tail.tornStart;
      }
      events.push(...appended);
      let { hash: prev, seq } = tail.last ?? carriedTail(config.path);
      const written = events.map((item): Written => {
        const { event: type, cwd, command, ...rest } = capEvent(redact(item, config.secrets));
        const header = { v: SCHEMA_VERSION, seq: ++seq, time: new Date().toISOString(), event: type, session: config.session, cwd: cwd ?? process.cwd(), command };
        const line = serialise({ ...rest, ...header, prev });
        prev = hashLine(line);
        return { record: JSON.parse(line) as AuditRecord, line };
      });
      const bytes = Buffer.from(written.map((item) => `${item.line}\n`).join(""));
      if (size > 0 && size + bytes.length > (config.maxBytes ?? DEFAULT_MAX_BYTES)) {
        fs.closeSync(fd);
        fd = -1;
        rotate(config.path, config.keep ?? DEFAULT_KEEP);
        fd = openLog(config.path);
        size = 0;
      }
      if (fs.writeSync(fd, bytes) !== bytes.length) {
        fs.ftruncateSync(fd, size); // never leave our own torn line behind
        throw shortWrite();
      }
      if (config.fsync) fs.fsyncSync(fd);
      return written;
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
  });
}

const HINTS: Record<string, string> = {
  ENOSPC: "free space on the filesystem holding the audit log, or set audit.best_effort = true to run without a complete trail",
  EDQUOT: "the disk quota is exhausted; free space, or set audit.best_effort = true to run without a complete trail",
  EACCES: "make the audit directory writable by this user, or point audit.path / SAFE_SH_AUDIT_LOG elsewhere",
  EPERM: "make the audit directory writable by this user, or point audit.path / SAFE_SH_AUDIT_LOG elsewhere",
  EROFS: "the filesystem holding the audit log is read-only; point audit.path / SAFE_SH_AUDIT_LOG at a writable one",
  EFTYPE: "the audit log must be a regular file (not a FIFO, device, directory or symlink); move it away or point audit.path / SAFE_SH_AUDIT_LOG elsewhere",
  EISDIR: "the audit log must be a regular file, not a directory; point audit.path / SAFE_SH_AUDIT_LOG at a file",
  ENOENT: "the audit log's directory cannot be created there; point audit.path / SAFE_SH_AUDIT_LOG at a writable directory",
  EAUDITFULL: "archive the rotated files (move audit.*.jsonl elsewhere, check them with `safe-sh audit verify --log`), then run again",
};

/** Wraps any failure to write the log as ERR_SAFESH_AUDIT_UNAVAILABLE (exit 125). */
export function unavailable(file: string, cause: unknown): SafeShError {
  const code = (cause as NodeJS.ErrnoException)?.code ?? (cause as Error)?.message ?? String(cause);
  // Our own conditions say more than their code.
  const what = code === "EFTYPE" || code === "EAUDITFULL" ? (cause as Error).message : code;
  return new SafeShError(
    "ERR_SAFESH_AUDIT_UNAVAILABLE",
    `cannot write the audit log ${file}: ${what}`,
    HINTS[code] ?? "check the audit log's path and permissions (audit.path / SAFE_SH_AUDIT_LOG), or set audit.best_effort = true",
    { cause },
  );
}

export interface AuditOptions {
  /** Config `audit.path`; else $SAFE_SH_AUDIT_LOG; else the XDG state default (see auditPath). */
  path?: string;
  /** When the log cannot be written, append() returns a warning instead of throwing. Default false. */
  bestEffort?: boolean;
  /** NAME → value: every occurrence of a value in any string becomes `[REDACTED:NAME]`. */
  secrets?: Record<string, string>;
  /** Default: a random UUID. */
  sessionId?: string;
  fsync?: boolean;
  maxBytes?: number;
  keep?: number;
  /** Export every written record to an OTLP/HTTP JSON logs endpoint. */
  otlp?: OtlpOptions;
}

export interface AuditLog {
  readonly path: string;
  readonly sessionId: string;
  /**
   * Writes the records in order, in one short locked append (sync). Returns
   * undefined, or a warning line when bestEffort is set and the log could not
   * be written. Throws ERR_SAFESH_AUDIT_UNAVAILABLE otherwise.
   */
  append(...events: AuditEvent[]): string | undefined;
  /** Secrets learnt later (e.g. injected credentials) are redacted from then on. */
  addSecrets(secrets: Record<string, string>): void;
  /** Waits up to `timeoutMs` (default 2000) for the OTLP export; never rejects. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Opens the audit log (nothing is touched on disk until the first append).
 * Never throws; append() throws ERR_SAFESH_AUDIT_UNAVAILABLE.
 */
export function openAudit(options: AuditOptions = {}): AuditLog {
  const config: WriterConfig = {
    path: auditPath(options.path),
    session: options.sessionId ?? randomId(),
    secrets: { ...options.secrets },
    fsync: options.fsync,
    maxBytes: options.maxBytes,
    keep: options.keep,
  };
  const exporter = options.otlp ? new OtlpExporter(options.otlp) : undefined;
  return {
    path: config.path,
    sessionId: config.session,
    append(...events) {
      let written: Written[];
      try {
        written = appendLocked(config, ...events);
      } catch (cause) {
        const error = unavailable(config.path, cause);
        if (!options.bestEffort) throw error;
        return `safe-sh: warning: ${error.message}; continuing without an audit record (audit.best_effort)`;
      }
      for (const item of written) exporter?.enqueue(item.record, item.line);
      return undefined;
    },
    addSecrets(secrets) {
      Object.assign(config.secrets, secrets);
    },
    async close(timeoutMs = 2000) {
      await exporter?.flush(timeoutMs);
    },
  };
}
