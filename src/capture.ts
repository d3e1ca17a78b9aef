// Captured output of one stream, for run() and Session alike: redacted as it
// arrives (a secret split across chunks is still caught), then capped in bytes
// on a UTF-8 character boundary, so memory stays bounded, the cap never cuts a
// secret's replacement open, and what is past it is counted, not kept.
import { SafeShError } from "./errors";
import { createRedactor } from "./secrets/redact";

/** Default cap per stream of run()'s captured stdout and stderr. */
export const DEFAULT_MAX_BUFFER = 16 * 1024 * 1024;

export interface Captured {
  /** The text kept, redacted: at most the cap's bytes, whole characters only. */
  text: string;
  /** Whether anything was left out. */
  truncated: boolean;
  /** UTF-8 bytes of `text`. */
  keptBytes: number;
  /** Bytes left out past the cap (once past it, counted as the command printed them, unredacted and undecoded). */
  droppedBytes: number;
}

export interface Capture {
  push(chunk: Buffer): void;
  /** What was kept and what was left out. Call once, at the end. */
  finish(): Captured;
}

/**
 * A capture keeping at most `maxBytes` bytes of the redacted output.
 * Throws ERR_SAFESH_USAGE for a maxBytes that is not a non-negative integer.
 */
export function createCapture(secrets: Record<string, string>, maxBytes: number = DEFAULT_MAX_BUFFER): Capture {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new SafeShError("ERR_SAFESH_USAGE", `the output cap must be a non-negative integer number of bytes, not ${String(maxBytes)}`, "pass maxBuffer (run) or maxOutputBytes (Session) in bytes, e.g. 1024 * 1024");
  }
  const redactor = createRedactor(secrets);
  const parts: string[] = [];
  let kept = 0;
  let dropped = 0;
  const keep = (text: string) => {
    if (text === "") return;
    const size = Buffer.byteLength(text);
    // Past the cap (or once anything was dropped, so the kept text stays a prefix): count only.
    if (dropped > 0 || kept + size > maxBytes) {
      const bytes = Buffer.from(text, "utf8");
      let end = dropped > 0 ? 0 : maxBytes - kept;
      // Cut on a character boundary: a partial UTF-8 sequence would become U+FFFD.
      while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
      if (end > 0) parts.push(bytes.subarray(0, end).toString("utf8"));
      kept += end;
      dropped += size - end;
      return;
    }
    parts.push(text);
    kept += size;
  };
  return {
    push(chunk) {
      // Past the cap a flood is only counted: nothing of it is kept, so nothing needs redacting or decoding.
      if (dropped > 0) dropped += chunk.length;
      else keep(redactor.push(chunk));
    },
    finish() {
      keep(redactor.flush());
      return { text: parts.join(""), truncated: dropped > 0, keptBytes: kept, droppedBytes: dropped };
    },
  };
}

/** The captured text with what was left out said plainly at its end (what an agent reads). */
export function withTruncationNote(captured: Captured): string {
  if (!captured.truncated) return captured.text;
  return `${captured.text}\n[safe-sh: output truncated: the first ${captured.keptBytes} bytes kept, ${captured.droppedBytes} more left out]\n`;
}
