// What run() keeps of a stream: redacted as it arrives (a secret split across
// chunks is still caught) and capped at maxBuffer bytes, so memory stays
// bounded and the result always settles, whatever the command prints.
import { SafeShError } from "./errors";
import { createRedactor } from "./secrets/redact";

/** Default cap per stream of run()'s captured stdout and stderr. */
export const DEFAULT_MAX_BUFFER = 16 * 1024 * 1024;

export interface Capture {
  push(chunk: Buffer): void;
  /** The text kept (redacted) and whether bytes past the cap were dropped. Call once, at the end. */
  finish(): { text: string; truncated: boolean };
}

/** Throws ERR_SAFESH_USAGE for a maxBytes that is not a non-negative integer. */
export function createCapture(secrets: Record<string, string>, maxBytes: number = DEFAULT_MAX_BUFFER): Capture {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new SafeShError("ERR_SAFESH_USAGE", `maxBuffer must be a non-negative integer number of bytes, not ${String(maxBytes)}`, "pass maxBuffer in bytes, e.g. 16 * 1024 * 1024");
  }
  const redactor = createRedactor(secrets);
  const parts: string[] = [];
  let kept = 0;
  let truncated = false;
  return {
    push(chunk) {
      if (truncated) return; // the command goes on; its further output is read and dropped
      const room = maxBytes - kept;
      if (chunk.length > room) truncated = true;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      kept += part.length;
      parts.push(redactor.push(part));
    },
    finish() {
      parts.push(redactor.flush());
      return { text: parts.join(""), truncated };
    },
  };
}
