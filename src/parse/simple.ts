// Fast path: a script made only of plain words separated by blanks is one
// simple command whose argv is those words, exactly as bash splits it.
// Anything else (quotes, $, operators, globs, reserved words) goes to tree-sitter.
import type { Extraction } from "./extract";

// No quote, escape, expansion, operator, glob, comment, history or brace character.
const PLAIN_SCRIPT = /^[A-Za-z0-9_./:,@%+=\- \t]+$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;
// Words that start compound commands or are parsed specially in command position.
const SPECIAL_FIRST = new Set([
  "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do", "done", "function",
  "time", "coproc", "in", "declare", "typeset", "export", "local", "readonly", "unset",
]);

/** The argv of a script that needs no parser, or undefined when tree-sitter must read it. */
export function plainWords(script: string): string[] | undefined {
  if (!PLAIN_SCRIPT.test(script)) return undefined;
  const words = script.trim().split(/[ \t]+/);
  if (words[0] === "" || SPECIAL_FIRST.has(words[0]!) || ASSIGNMENT.test(words[0]!)) return undefined;
  return words;
}

/** The extraction of a plain script without parsing it (see {@link plainWords}), or undefined. */
export function plainExtraction(script: string): Extraction | undefined {
  const words = plainWords(script);
  if (!words) return undefined;
  return {
    commands: [{ words: words.map((text) => ({ text, literal: true })), assignments: [], redirects: [] }],
    functions: [],
    assignments: [],
    redirects: [],
    issues: [],
    nested: [],
  };
}
