// Turns a word-like syntax node into its literal value (quotes removed, escapes
// decoded), or marks it as expanded at run time when bash would change it.
import { expandBraces, hasBraceExpansion, TooManyWords, type Char } from "./braces";
import type { SyntaxNode } from "./parser";

export interface Word {
  /** The literal value, or the source text when the word is not literal. */
  text: string;
  /** False when bash expands the word at run time (variables, substitutions, braces). */
  literal: boolean;
  /** Set when the word starts with an unquoted glob: it can expand to a file named like an option (`-rf`). */
  glob?: true;
}

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
    case "brace_expression": // `{1..3}`: plain text to bash's brace expansion
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
    case "process_substitution":
      // <(…) and >(…) become a /dev/fd path, never an option; the commands inside are classified on their own.
      return { text: "/dev/fd/63", literal: true, quoted: true };
    default:
      return { text, literal: false, quoted: false };
  }
}

// Unquoted text as characters: a backslash-escaped character is inert (`\\{` is no brace).
function unquotedChars(text: string): Char[] {
  const out: Char[] = [];
  const plain = text.replace(/\\\n/g, "");
  for (let i = 0; i < plain.length; i++) {
    if (plain[i] === "\\" && i + 1 < plain.length) out.push({ c: plain[++i]!, active: false });
    else out.push({ c: plain[i]!, active: true });
  }
  return out;
}

function chars(node: SyntaxNode, p: Part): Char[] {
  return p.quoted ? [...p.text].map((c) => ({ c, active: false })) : unquotedChars(node.text);
}

function partsOf(node: SyntaxNode): { nodes: SyntaxNode[]; parts: Part[] } {
  const nodes = node.type === "concatenation" ? node.namedChildren : [node];
  return { nodes, parts: nodes.map(part) };
}

function finish(text: string, first: Char | undefined, numeric: boolean): Word {
  // Only a glob at the start can match a name beginning with "-" (src/*.ts cannot).
  return first?.active && /^[*?[]/.test(first.c) && !numeric ? { text, literal: true, glob: true } : { text, literal: true };
}

/** Evaluates a word node (word, quoted string, concatenation, expansion…) to a {@link Word}; a word bash brace-expands is not literal. */
export function wordOf(node: SyntaxNode): Word {
  const words = wordsOf(node);
  return words.length === 1 && !hasBraces(node) ? words[0]! : { text: node.text, literal: false };
}

// Most words have no unquoted brace: they skip the character-by-character expansion.
const mayExpand = (parts: readonly Part[]): boolean => parts.some((p) => !p.quoted && p.text.includes("{"));

function hasBraces(node: SyntaxNode): boolean {
  const { nodes, parts } = partsOf(node);
  return parts.every((p) => p.literal) && mayExpand(parts) && hasBraceExpansion(nodes.flatMap((n, i) => chars(n, parts[i]!)));
}

/**
 * The words a word node becomes in a command's argv: brace expansion applied
 * as bash does (`{rm,-rf,src}` is three words). Not literal when any part
 * expands at run time or the expansion is too large to follow.
 */
export function wordsOf(node: SyntaxNode): Word[] {
  const { nodes, parts } = partsOf(node);
  if (parts.some((p) => !p.literal)) return [{ text: node.text, literal: false }];
  const text = parts.map((p) => p.text).join("");
  if (!mayExpand(parts)) return [finish(text, parts[0] && { c: parts[0].text[0] ?? "", active: !parts[0].quoted }, node.type === "number")];
  const all = nodes.flatMap((n, i) => chars(n, parts[i]!));
  let expanded: Char[][];
  try {
    expanded = expandBraces(all);
  } catch (error) {
    if (error instanceof TooManyWords) return [{ text: node.text, literal: false }];
    throw error;
  }
  if (expanded.length === 1 && expanded[0]!.length === all.length) return [finish(text, all[0], node.type === "number")];
  // bash drops words that expand to nothing unless part of them was quoted.
  return expanded.filter((w) => w.length > 0 || all.some((c) => !c.active)).map((w) => finish(w.map((c) => c.c).join(""), w[0], false));
}
