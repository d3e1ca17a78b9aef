// Output redaction: every injected secret value becomes [REDACTED:NAME], in
// whole texts and in streams where a value may be split across chunks.
import { StringDecoder } from "node:string_decoder";

/**
 * Values shorter than this are not redacted: replacing every "abc" would
 * shred the output while hiding almost nothing. `safe-sh secret set` refuses
 * shorter values, so every secret stored through it is redacted.
 */
export const MIN_REDACTED_LENGTH = 4;

export interface Redactor {
  /** Redacts what can be decided so far; holds back a tail that may be the start of a value. */
  push(chunk: string | Buffer): string;
  /** Redacts and returns everything held back. Call once, at the end of the stream. */
  flush(): string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Compiled {
  pattern: RegExp;
  labels: Map<string, string>;
  longest: number;
}

/** One alternation, longest values first, so the longest value starting at a position wins. */
function compile(secrets: Record<string, string>): Compiled | undefined {
  const labels = new Map<string, string>();
  // Longer values first also decides between two names sharing one value: the first listed keeps it.
  for (const [name, value] of Object.entries(secrets)) {
    if (value.length >= MIN_REDACTED_LENGTH && !labels.has(value)) labels.set(value, `[REDACTED:${name}]`);
  }
  if (labels.size === 0) return undefined;
  const values = [...labels.keys()].sort((a, b) => b.length - a.length);
  return { pattern: new RegExp(values.map(escapeRegExp).join("|"), "g"), labels, longest: values[0]!.length };
}

/**
 * Redacts `text`, then returns how far it is decided: matches that start
 * before `decidedBefore` are replaced (all longer candidates there fit in the
 * text), and the rest from max(decidedBefore, end of the last match) is left.
 */
function redactUpTo(compiled: Compiled, text: string, decidedBefore: number): { out: string; rest: number } {
  let out = "";
  let done = 0;
  compiled.pattern.lastIndex = 0;
  for (let match = compiled.pattern.exec(text); match !== null && match.index < decidedBefore; match = compiled.pattern.exec(text)) {
    out += text.slice(done, match.index) + compiled.labels.get(match[0]);
    done = match.index + match[0].length;
  }
  const rest = Math.max(done, decidedBefore);
  return { out: out + text.slice(done, rest), rest };
}

/**
 * A streaming redactor for stdout or stderr. Bytes are decoded as UTF-8
 * across chunk boundaries; at most the longest value's length minus one
 * character is held back between pushes.
 */
export function createRedactor(secrets: Record<string, string>): Redactor {
  const compiled = compile(secrets);
  const decoder = new StringDecoder("utf8");
  let pending = "";
  const decode = (chunk: string | Buffer) => (typeof chunk === "string" ? chunk : decoder.write(chunk));
  return {
    push(chunk) {
      const text = pending + decode(chunk);
      if (!compiled) {
        pending = "";
        return text;
      }
      // A value starting at or after this index could still be completed by the next chunk.
      const { out, rest } = redactUpTo(compiled, text, Math.max(0, text.length - compiled.longest + 1));
      pending = text.slice(rest);
      return out;
    },
    flush() {
      const text = pending + decoder.end();
      pending = "";
      return compiled ? redactUpTo(compiled, text, text.length).out : text;
    },
  };
}

/** Replaces each secret value (at least MIN_REDACTED_LENGTH long) in text with [REDACTED:NAME], longest values first. */
export function redact(text: string, secrets: Record<string, string>): string {
  const redactor = createRedactor(secrets);
  return redactor.push(text) + redactor.flush();
}
