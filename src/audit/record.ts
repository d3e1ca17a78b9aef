// Audit record types, canonical serialisation (one JSON line), secret
// redaction and the SHA-256 chain hash over a line's exact bytes.
import { sha256Hex } from "../sandbox/native";
import type { Risk } from "../types";
import type { Answer, ReviewVerdict, Verdict } from "../verdict";

/**
 * The record version (`v`). 2: review records say "allow" where version 1
 * said "approve" (one vocabulary everywhere); every other field is as in 1.
 * Readers take both (see readVerdict).
 */
export const SCHEMA_VERSION = 2;
/** `prev` of the first record of a fresh chain. */
export const GENESIS_HASH = "0".repeat(64);

export type AuditEventType = "decision" | "approval" | "exec" | "exit" | "network" | "repair" | "review" | "violation";

/** Fields the caller gives for every event. */
interface EventBase {
  /** The command as the agent wrote it (script or quoted argv); null only for `repair`. */
  command: string | null;
  /** Default: process.cwd(). */
  cwd?: string;
  /** Ties the decision/approval/exec/exit/network events of one run together. */
  runId?: string;
  /** The front end's client that asked for the run (e.g. an MCP client's name). */
  client?: string;
  /** Set by the writer when `command` was cut to the record size cap: the whole command's size and SHA-256. */
  commandFull?: { chars: number; bytes: number; sha256: string };
  /** The command's exact bytes when they are not UTF-8 (`command` then shows U+FFFD); see commandBytesOf. */
  commandBytes?: CommandBytes;
}

/**
 * A command's exact bytes: the script, or an argv's words each ended by a NUL
 * byte. `base64` is kept up to MAX_EXACT_BYTES; the size and SHA-256 always.
 */
export interface CommandBytes {
  argv: boolean;
  bytes: number;
  sha256: string;
  base64?: string;
}

export interface DecisionEvent extends EventBase {
  event: "decision";
  risk: Risk;
  reasons: string[];
  decision: Verdict;
  /** The rule that decided, e.g. `prefix:git push`, or `mode:on-request`. */
  rule?: string;
  approvalMode?: string;
}

export interface ApprovalEvent extends EventBase {
  event: "approval";
  /** Who answered: a policy rule, the reviewer program, the human, or a cached session approval. */
  approver: "rule" | "reviewer" | "human" | "session" | "none";
  verdict: Answer;
  reason?: string;
  durationMs: number;
}

export interface ExecEvent extends EventBase {
  event: "exec";
  /** The sandbox grant: mode, network, writable roots, ... (as built by the plan). */
  grant: Record<string, unknown>;
  /** Guarantees the kernel enforces for this run (e.g. "landlock", "seccomp"). */
  enforced: string[];
  /** Guarantees the policy asked for that are missing (runs only with allowDegraded). */
  degraded: string[];
  pid?: number;
}

export interface ExitEvent extends EventBase {
  event: "exit";
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  timedOut?: boolean;
  /** The failure looks like a sandbox denial (EPERM/EACCES on a denied path, blocked connect). */
  sandboxDenialSuspected: boolean;
  /** Limits the command reached ("pids", "memory"; told only with a run cgroup, docs/limits.md). */
  limitsReached?: string[];
}

export interface NetworkEvent extends EventBase {
  event: "network";
  host: string;
  port: number;
  decision: Verdict;
  rule?: string;
  bytesOut: number;
  bytesIn: number;
  durationMs: number;
}

/** Written by `safe-sh review` for each verdict it gives (docs/reviewer.md). */
export interface ReviewEvent extends EventBase {
  event: "review";
  api: string;
  model: string;
  verdict: ReviewVerdict;
  reason: string;
  latencyMs: number;
  /** Reused from the verdict cache: no model call. */
  cached: boolean;
  /** Why no model verdict came back (the verdict is then deny). */
  failure?: string;
  /** A hard rule decided without asking the model. */
  hardRule?: boolean;
  tokens?: { input: number; output: number };
}

/** Written by the writer itself when it cut away a torn last line (see docs/audit.md). */
export interface RepairEvent extends EventBase {
  event: "repair";
  torn: { bytes: number; sha256: string; base64?: string };
}

/** A denial the sandbox reported for a run (macOS: read from the unified log). */
export interface ViolationEvent extends EventBase {
  event: "violation";
  process: string;
  pid: number;
  /** Seatbelt operation, e.g. file-write-create, network-outbound. */
  operation: string;
  target?: string;
}

export type AuditEvent = DecisionEvent | ApprovalEvent | ExecEvent | ExitEvent | NetworkEvent | RepairEvent | ReviewEvent | ViolationEvent;

/** Header every stored record carries, in this order on the line. */
export interface RecordHeader {
  v: number;
  seq: number;
  time: string;
  event: AuditEventType;
  session: string;
  cwd: string;
  command: string | null;
}

export type AuditRecord = RecordHeader & Omit<AuditEvent, "cwd" | "command" | "event"> & { prev: string; [key: string]: unknown };

const HEAD_ORDER = ["v", "seq", "time", "event", "session", "cwd", "command"] as const;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = canonical(item);
  }
  return out;
}

/**
 * One record as its JSON line, without the newline: header fields in a fixed
 * order, then the event's own fields with keys sorted (recursively), `prev`
 * last. The same record always gives the same bytes.
 */
export function serialise(record: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const key of HEAD_ORDER) if (record[key] !== undefined) out[key] = record[key];
  const rest = canonical(record) as Record<string, unknown>;
  for (const key of Object.keys(rest)) if (key !== "prev" && !(key in out)) out[key] = rest[key];
  out.prev = record.prev;
  return JSON.stringify(out);
}

/** SHA-256 (hex) of a line's exact bytes, excluding its terminating newline. */
export function hashLine(line: string | Buffer): string {
  return sha256Hex(line);
}

/**
 * Replaces every occurrence of each secret value in every string (keys
 * included) with `[REDACTED:NAME]`. Longer values first, so a secret that
 * contains another is replaced whole. Empty values are ignored.
 */
export function redact<T>(value: T, secrets: Record<string, string>): T {
  const pairs = Object.entries(secrets)
    .filter(([, secret]) => secret.length > 0)
    .sort((a, b) => b[1].length - a[1].length);
  if (pairs.length === 0) return value;
  const scrub = (text: string): string => pairs.reduce((acc, [name, secret]) => acc.split(secret).join(`[REDACTED:${name}]`), text);
  const walk = (item: unknown): unknown => {
    if (typeof item === "string") return scrub(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item === null || typeof item !== "object") return item;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(item)) out[scrub(key)] = walk(inner);
    return out;
  };
  return walk(value) as T;
}

/** Parses one stored line; undefined when it is not a JSON object with a numeric seq and a prev hash. */
export function parseRecord(line: string): AuditRecord | undefined {
  try {
    const value = JSON.parse(line) as AuditRecord;
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    if (!Number.isInteger(value.seq) || typeof value.prev !== "string" || !/^[0-9a-f]{64}$/.test(value.prev)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}
