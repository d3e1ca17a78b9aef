// Brace expansion as bash does it (`{a,b}`, `{1..3}`, `x{a,b{c,d}}y`): one
// word becomes the words bash would run, so `{rm,-rf,src}` is read as `rm -rf src`.

/** One character of a word; quoted or escaped characters never take part in brace expansion. */
export interface Char {
  c: string;
  active: boolean;
}

/** Most words one brace word may expand to; beyond it the word is treated as unknown. */
export const MAX_BRACE_WORDS = 256;

export class TooManyWords extends Error {}

// Where the `}` matching the active `{` at `open` is, and the top-level commas between them.
function match(chars: readonly Char[], open: number): { close: number; commas: number[] } | undefined {
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < chars.length; i++) {
    const { c, active } = chars[i]!;
    if (!active) continue;
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return { close: i, commas };
    else if (c === "," && depth === 1) commas.push(i);
  }
  return undefined;
}

const INT = /^[+-]?[0-9]+$/;

function pad(n: number, width: number): string {
  const digits = String(Math.abs(n)).padStart(width - (n < 0 ? 1 : 0), "0");
  return n < 0 ? `-${digits}` : digits;
}

/** The words of a sequence expression `x..y[..step]`, or undefined when bash leaves it literal. */
function sequence(body: string): string[] | undefined {
  const parts = body.split("..");
  if (parts.length < 2 || parts.length > 3) return undefined;
  const [from, to, by = "1"] = parts as [string, string, string?];
  if (!INT.test(by)) return undefined;
  const step = Math.abs(parseInt(by, 10)) || 1;
  let values: number[];
  let show: (n: number) => string;
  if (INT.test(from) && INT.test(to)) {
    const a = parseInt(from, 10);
    const b = parseInt(to, 10);
    // A leading zero on either end pads every number to the wider end.
    const width = /^[+-]?0[0-9]/.test(from) || /^[+-]?0[0-9]/.test(to) ? Math.max(from.replace("+", "").length, to.replace("+", "").length) : 0;
    values = range(a, b, step);
    show = (n) => pad(n, width);
  } else if (/^[A-Za-z]$/.test(from) && /^[A-Za-z]$/.test(to)) {
    values = range(from.charCodeAt(0), to.charCodeAt(0), step);
    show = (n) => String.fromCharCode(n);
  } else return undefined;
  return values.map(show);
}

function range(a: number, b: number, step: number): number[] {
  if (Math.floor(Math.abs(b - a) / step) + 1 > MAX_BRACE_WORDS) throw new TooManyWords();
  const out: number[] = [];
  for (let n = a; a <= b ? n <= b : n >= b; n += a <= b ? step : -step) out.push(n);
  return out;
}

const literal = (text: string): Char[] => [...text].map((c) => ({ c, active: false }));

/**
 * The words one word expands to, in bash's order: the first `{` with a
 * matching `}` and a top-level comma (or a valid sequence) is expanded, and
 * the rest of the word after it recursively. A word without one is itself.
 * @throws TooManyWords beyond {@link MAX_BRACE_WORDS} words.
 */
export function expandBraces(chars: readonly Char[]): Char[][] {
  for (let open = 0; open < chars.length; open++) {
    const ch = chars[open]!;
    // `${` starts a parameter expansion, not a brace expansion.
    if (!ch.active || ch.c !== "{" || (open > 0 && chars[open - 1]!.c === "$" && chars[open - 1]!.active)) continue;
    const found = match(chars, open);
    if (!found) continue;
    const { close, commas } = found;
    let choices: Char[][];
    if (commas.length > 0) {
      const bounds = [open, ...commas, close];
      choices = bounds.slice(1).map((end, i) => chars.slice(bounds[i]! + 1, end)).flatMap((choice) => expandBraces(choice));
    } else {
      const body = chars.slice(open + 1, close);
      const words = body.every((b) => b.active) ? sequence(body.map((b) => b.c).join("")) : undefined;
      if (!words) continue;
      choices = words.map(literal);
    }
    const before = chars.slice(0, open);
    const after = expandBraces(chars.slice(close + 1));
    if (choices.length * after.length > MAX_BRACE_WORDS) throw new TooManyWords();
    return choices.flatMap((choice) => after.map((rest) => [...before, ...choice, ...rest]));
  }
  return [[...chars]];
}

/** Whether a word (as characters) has a brace expression bash would expand. */
export function hasBraceExpansion(chars: readonly Char[]): boolean {
  try {
    const words = expandBraces(chars);
    return words.length !== 1 || words[0]!.length !== chars.length;
  } catch {
    return true;
  }
}
