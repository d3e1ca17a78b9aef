// The record size cap: no field of an event grows a record without bound, so
// an agent can't push history out of the retained files with a few huge
// commands. A cut command keeps its full length and SHA-256.
import { sha256Hex } from "../sandbox/native";
import type { AuditEvent, CommandBytes } from "./record";

/** Characters of the command kept in a record. */
export const MAX_COMMAND_CHARS = 4096;
/** Characters of any other string (reasons, paths, hosts). */
export const MAX_STRING_CHARS = 1024;
/** Items of any list (reasons, writable roots). */
export const MAX_LIST_ITEMS = 16;
/** Exact bytes of a command kept in base64 (beyond, their size and SHA-256). */
export const MAX_EXACT_BYTES = 6 * 1024;

function capString(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…[${text.length - max} more characters]` : text;
}

function capValue(value: unknown): unknown {
  if (typeof value === "string") return capString(value, MAX_STRING_CHARS);
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_LIST_ITEMS).map(capValue);
    return value.length > MAX_LIST_ITEMS ? [...kept, `…[${value.length - MAX_LIST_ITEMS} more]`] : kept;
  }
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [capString(key, MAX_STRING_CHARS), capValue(inner)]));
}

/**
 * The event with every field capped; a command longer than
 * MAX_COMMAND_CHARS is cut, and `commandFull` records the whole command's
 * length and the SHA-256 of its UTF-8 bytes (to match it against a copy).
 * A repair's torn bytes are already bounded by the writer and kept whole.
 */
export function capEvent(event: AuditEvent): AuditEvent {
  const { command, event: type, commandBytes, ...rest } = event;
  // Bounded where they are made (a repair's torn bytes, a command's exact bytes): kept whole.
  const whole = { ...(type === "repair" ? { torn: event.torn } : {}), ...(commandBytes ? { commandBytes } : {}) };
  const capped = { ...(capValue(rest) as object), ...whole, event: type } as AuditEvent;
  if (command === null || command.length <= MAX_COMMAND_CHARS) return { ...capped, command };
  const bytes = Buffer.from(command, "utf8");
  return { ...capped, command: capString(command, MAX_COMMAND_CHARS), commandFull: { chars: command.length, bytes: bytes.length, sha256: sha256Hex(bytes) } };
}

/**
 * The exact bytes of a command that is not all UTF-8 (a Buffer script or
 * Buffer argv words), for `commandBytes`; undefined when text says it all.
 */
export function commandBytesOf(command: string | Buffer | readonly (string | Buffer)[]): CommandBytes | undefined {
  if (typeof command === "string") return undefined;
  const argv = !Buffer.isBuffer(command);
  const words = argv ? (command as readonly (string | Buffer)[]) : [command as Buffer];
  if (words.every((word) => typeof word === "string")) return undefined;
  const bytes = Buffer.concat(words.flatMap((word) => [Buffer.from(word), ...(argv ? [Buffer.alloc(1)] : [])]));
  return { argv, bytes: bytes.length, sha256: sha256Hex(bytes), ...(bytes.length <= MAX_EXACT_BYTES ? { base64: bytes.toString("base64") } : {}) };
}
