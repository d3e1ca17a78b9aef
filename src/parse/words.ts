// Turns a word-like syntax node into its literal value (quotes removed, escapes
// decoded), or marks it as expanded at run time when bash would change it.
import type { SyntaxNode } from "./parser";

export interface Word {
  /** The literal value, or the source text when the word is not literal. */
  text: string;
  /** False when bash expands the word at run time (variables, substitutions, braces). */
  literal: boolean;
  /** Set when the word starts with an unquoted glob: it can expand to a file named like an option (`-rf`). */
  glob?: true;
}

// A brace expansion `{a,b}` / `{1..3}` in unquoted text turns one word into several.
const BRACE_EXPANSION = /\{[^{}]*(,|\.\.)[^{}]*\}/;

function unescapeUnquoted(text: string): string {
  if (!text.includes("\\")) return text;
  return text.replace(/\\\n/g, "").replace(/\\(.)/gs, "$1");
}

function unescapeDoubleQuoted(text: string): string {
  if (!text.includes("\\")) return text;
  return text.replace(/\\\n/g, "").replace(/\\([\\"$`])/g, "$1");
}

const ANSI_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", v: "\v", "\\": "\\", "'": "'", '"': '"', "?": "?" };

function decodeAnsiC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|c.|.)/gs, (all, esc: string) => {
    if (/^[xuU]/.test(esc)) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/^[0-7]/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    if (esc[0] === "c") return String.fromCharCode(esc.charCodeAt(1) & 31);
    return ANSI_ESCAPES[esc] ?? all;
  });
}

interface Part {
  text: string;
  literal: boolean;
  quoted: boolean;
}

function part(node: SyntaxNode): Part {
  const text = node.text;
  switch (node.type) {
    case "word":
    case "number":
      return { text: unescapeUnquoted(text), literal: true, quoted: false };
    case "raw_string":
      return { text: text.slice(1, -1), literal: true, quoted: true };
    case "ansi_c_string":
      return { text: decodeAnsiC(text.slice(2, -1)), literal: true, quoted: true };
    case "string":
    case "translated_string": {
      const literal = node.namedChildren.every((child) => child.type === "string_content");
      const body = text.slice(node.type === "string" ? 1 : 2, -1);
      return { text: literal ? unescapeDoubleQuoted(body) : text, literal, quoted: true };
    }
    default:
      return { text, literal: false, quoted: false };
  }
}

/** Evaluates a word node (word, quoted string, concatenation, expansion…) to a {@link Word}. */
export function wordOf(node: SyntaxNode): Word {
  const parts = node.type === "concatenation" ? node.namedChildren.map(part) : [part(node)];
  const unquoted = parts.filter((p) => !p.quoted).map((p) => p.text).join("\0");
  if (parts.some((p) => !p.literal) || BRACE_EXPANSION.test(unquoted)) return { text: node.text, literal: false };
  const text = parts.map((p) => p.text).join("");
  // Only a glob at the start can match a name beginning with "-" (src/*.ts cannot).
  const first = parts[0];
  return first && !first.quoted && /^[*?[]/.test(first.text) && node.type !== "number" ? { text, literal: true, glob: true } : { text, literal: true };
}
