// Captured output of one stream, redacted as it streams and bounded: past the
// limit bytes are counted, not kept, and the result says so plainly.
import { createRedactor, type Redactor } from "../secrets/redact";

export class BoundedOutput {
  private text = "";
  private kept = 0;
  /** Bytes past the limit, counted and dropped. */
  private dropped = 0;
  private readonly redactor: Redactor;

  constructor(
    private readonly maxBytes: number,
    secrets: Record<string, string>,
  ) {
    this.redactor = createRedactor(secrets);
  }

  push(chunk: Buffer): void {
    this.keep(this.redactor.push(chunk));
  }

  /** The kept text, with what was left out said at its end. */
  finish(): { text: string; truncated: boolean } {
    this.keep(this.redactor.flush());
    const truncated = this.dropped > 0;
    return { text: truncated ? `${this.text}\n[safe-sh: output truncated: the first ${this.kept} bytes kept, ${this.dropped} more left out]\n` : this.text, truncated };
  }

  private keep(text: string): void {
    if (text === "") return;
    if (this.dropped > 0) {
      this.dropped += Buffer.byteLength(text);
      return;
    }
    const room = this.maxBytes - this.kept;
    const bytes = Buffer.from(text, "utf8");
    // Cut on a character boundary: a partial UTF-8 sequence would become U+FFFD.
    let end = Math.max(0, Math.min(room, bytes.length));
    while (end < bytes.length && end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
    this.text += bytes.subarray(0, end).toString("utf8");
    this.kept += end;
    this.dropped += bytes.length - end;
  }
}
