// Reads a sed program far enough to find what it does besides printing:
// the `e` command, `s///e`, and `w`/`W` (also `s///w file`) which write files.
import { isDevSink } from "./risk";

export type SedEffect = { kind: "execute"; detail: string } | { kind: "write"; detail: string } | { kind: "unreadable"; detail: string };

const SIMPLE = new Set([..."=dDgGhHlnNpPxzF{}"]);

/** Effects of a sed program other than printing; `unreadable` when it cannot be followed. */
export function sedEffects(program: string): SedEffect[] {
  const effects: SedEffect[] = [];
  let i = 0;
  const restOfLine = (): string => {
    const end = program.indexOf("\n", i);
    const text = program.slice(i, end === -1 ? undefined : end).trim();
    i = end === -1 ? program.length : end;
    return text;
  };
  const delimited = (delim: string): boolean => {
    // Reads up to an unescaped `delim`; false when the program ends first.
    while (i < program.length && program[i] !== delim) {
      if (program[i] === "\\") i++;
      if (program[i] === "\n") return false;
      i++;
    }
    i++;
    return i <= program.length;
  };
  while (i < program.length) {
    const c = program[i]!;
    if (/[\s;!]/.test(c) || /[0-9$,~+]/.test(c)) { i++; continue; }
    if (c === "/" || c === "\\") {
      if (c === "\\") i++;
      const delim = program[i]!;
      i++;
      if (!delimited(delim)) return [{ kind: "unreadable", detail: "unterminated address" }];
      if (program[i] === "I" || program[i] === "M") i++;
      continue;
    }
    i++;
    if (c === "#") { restOfLine(); continue; }
    if (":btTqQLv".includes(c)) { restOfCommand(); continue; }
    if (SIMPLE.has(c)) continue;
    if ("aic".includes(c) || c === "r" || c === "R") { restOfLine(); continue; }
    if (c === "w" || c === "W") {
      const file = restOfLine();
      if (!isDevSink(file)) effects.push({ kind: "write", detail: `${c} ${file}` });
      continue;
    }
    if (c === "e") { effects.push({ kind: "execute", detail: `e ${restOfLine()}`.trim() }); continue; }
    if (c === "s" || c === "y") {
      const delim = program[i];
      if (!delim || delim === "\n" || delim === "\\") return [{ kind: "unreadable", detail: `${c} command` }];
      i++;
      if (!delimited(delim) || !delimited(delim)) return [{ kind: "unreadable", detail: `unterminated ${c} command` }];
      if (c === "y") continue;
      const flags = /^[0-9gpiImMe]*/.exec(program.slice(i))![0];
      i += flags.length;
      if (flags.includes("e")) effects.push({ kind: "execute", detail: `s///${flags}` });
      if (program[i] === "w") {
        i++;
        const file = restOfLine();
        if (!isDevSink(file)) effects.push({ kind: "write", detail: `s///w ${file}` });
      }
      continue;
    }
    return [{ kind: "unreadable", detail: `command ${JSON.stringify(c)}` }];
  }
  return effects;

  // Labels and branch targets run to `;` or the end of the line.
  function restOfCommand(): void {
    while (i < program.length && program[i] !== ";" && program[i] !== "\n") i++;
  }
}
