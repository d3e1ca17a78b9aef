// The record size cap: no field of an event grows a record without bound, so
// an agent can't push history out of the retained files with a few huge
// commands. A cut command keeps its full length and SHA-256.
import { sha256Hex } from "../sandbox/native";
import type { AuditEvent } from "./record";

/** Characters of the command kept in a record. */
export const MAX_COMMAND_CHARS = 4096;
/** Characters of any other string (reasons, paths, hosts). */
export const MAX_STRING_CHARS = 1024;
/** Items of any list (reasons, writable roots). */
export const MAX_LIST_ITEMS = 16;

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
  const { command, event: type, ...rest } = event;
  const torn = type === "repair" ? { torn: event.torn } : {};
  const capped = { ...(capValue(rest) as object), ...torn, event: type } as AuditEvent;
  if (command === null || command.length <= MAX_COMMAND_CHARS) return { ...capped, command };
  const bytes = Buffer.from(command, "utf8");
  return { ...capped, command: capString(command, MAX_COMMAND_CHARS), commandFull: { chars: command.length, bytes: bytes.length, sha256: sha256Hex(bytes) } };
}
