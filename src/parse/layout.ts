// Rewrites two layouts tree-sitter-bash reads differently from bash into text
// both read the same way: a brace word at the start of a word (`{rm,-rf,src}`
// is a word to bash, a `{ …; }` group to the grammar), and heredocs followed by
// more on their line (`cat <<EOF; rm -rf src`, `cat <<A <<B | sh`), which become
// here-strings holding the same text. Anything the scanner can't follow is left as is.
import { expandBraces, type Char } from "./braces";

interface Heredoc {
  /** Where `<<` starts and the delimiter word ends in the source line. */
  start: number;
  end: number;
  delimiter: string;
  quoted: boolean;
  stripTabs: boolean;
}

// Characters that end a word (and so start a new one after them).
const BREAK = new Set([" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">"]);

/** The end of a quoted run starting at `i` (a quote character), past the closing quote. */
function skipQuoted(text: string, i: number): number {
  const quote = text[i]!;
  const ansi = quote === "'" && text[i - 1] === "$";
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === "\\" && quote !== "'") j++;
    else if (text[j] === "\\" && ansi) j++;
    else if (text[j] === quote) return j + 1;
  }
  return text.length;
}

/** The end of the word starting at `i` (quotes included), or where it stops at a break character. */
function wordEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && !BREAK.has(text[j]!)) {
    if (text[j] === "\\") j += 2;
    else if (text[j] === "'" || text[j] === '"') j = skipQuoted(text, j);
    else j++;
  }
  return Math.min(j, text.length);
}

/** Whether the unquoted word at `i` (starting with `{`) is one bash brace-expands. */
function isBraceWord(text: string, i: number): boolean {
  const word = text.slice(i, wordEnd(text, i));
  if (/['"\\$`]/.test(word)) return false;
  const chars: Char[] = [...word].map((c) => ({ c, active: true }));
  try {
    return expandBraces(chars).length > 1;
  } catch {
    return true; // too many words: still a word, not a group (it is unknown later)
  }
}

/** Reads the heredoc operator at `i` (`<<`, `<<-`): its delimiter and where it ends. */
function heredocAt(line: string, i: number): Heredoc | undefined {
  let j = i + 2;
  const stripTabs = line[j] === "-";
  if (stripTabs) j++;
  while (line[j] === " " || line[j] === "\t") j++;
  const end = wordEnd(line, j);
  const raw = line.slice(j, end);
  if (!raw) return undefined;
  const quoted = /['"\\]/.test(raw);
  const delimiter = raw.replace(/\\(.)/g, "$1").replace(/['"]/g, "");
  return { start: i, end, delimiter, quoted, stripTabs };
}

/** The heredoc operators of one line, outside quotes and comments. */
function heredocsOf(line: string): Heredoc[] {
  const out: Heredoc[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "\\") i++;
    else if (c === "'" || c === '"' || c === "`") i = skipQuoted(line, i) - 1;
    else if (c === "#" && (i === 0 || BREAK.has(line[i - 1]!))) break;
    else if (c === "<" && line.startsWith("<<", i) && line[i + 2] !== "<" && line[i - 1] !== "<") {
      const doc = heredocAt(line, i);
      if (!doc) return [];
      out.push(doc);
      i = doc.end - 1;
    }
  }
  return out;
}

/** A here-string bash reads as the same text as the heredoc body (without its last newline). */
function hereString(body: string, quoted: boolean): string | undefined {
  if (quoted || !/[$`\\]/.test(body)) return `'${body.replace(/'/g, "'\\''")}'`;
  // In a heredoc `\"` is two characters; in double quotes it would be one.
  if (body.includes('\\"')) return undefined;
  return `"${body.replace(/"/g, '\\"')}"`;
}

/**
 * Rewrites the lines that hold a heredoc with more after it (or several
 * heredocs): each heredoc becomes a here-string of its body and the body
 * lines are dropped. Undefined when nothing needs it or a body can't be found.
 */
function rewriteHeredocs(script: string): string | undefined {
  if (!script.includes("<<")) return undefined;
  const lines = script.split("\n");
  const out: string[] = [];
  let changed = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const docs = heredocsOf(line);
    const tail = docs.length > 0 ? line.slice(docs[docs.length - 1]!.end).replace(/(^|\s)#.*$/, "").trim() : "";
    if (docs.length === 0 || (docs.length === 1 && tail === "")) {
      out.push(line);
      continue;
    }
    let next = n + 1;
    let rebuilt = "";
    let from = 0;
    for (const doc of docs) {
      const body: string[] = [];
      for (;;) {
        if (next >= lines.length) return undefined;
        const raw = lines[next++]!;
        const text = doc.stripTabs ? raw.replace(/^\t+/, "") : raw;
        if (text === doc.delimiter) break;
        body.push(text);
      }
      const string = hereString(body.join("\n"), doc.quoted);
      if (string === undefined) return undefined;
      rebuilt += `${line.slice(from, doc.start)}<<< ${string}`;
      from = doc.end;
    }
    out.push(rebuilt + line.slice(from));
    n = next - 1;
    changed = true;
  }
  return changed ? out.join("\n") : undefined;
}

/** Inserts `''` before brace words at the start of a word, so the grammar reads a word (bash: the same words). */
function quoteBraceWords(script: string): string | undefined {
  if (!/(^|[\s;&|(])\{[^\s}]/.test(script)) return undefined;
  let out = "";
  let changed = false;
  let from = 0;
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === "\\") i++;
    else if (c === "'" || c === '"' || c === "`") i = skipQuoted(script, i) - 1;
    else if (c === "#" && (i === 0 || BREAK.has(script[i - 1]!))) {
      const eol = script.indexOf("\n", i);
      i = eol === -1 ? script.length : eol;
    } else if (c === "{" && (i === 0 || BREAK.has(script[i - 1]!)) && isBraceWord(script, i)) {
      out += `${script.slice(from, i)}''`;
      from = i;
      changed = true;
    }
  }
  return changed ? out + script.slice(from) : undefined;
}

/** The script laid out so tree-sitter-bash reads the commands bash would run (see the file header). */
export function normalizeLayout(script: string): string {
  const heredocs = rewriteHeredocs(script) ?? script;
  // Heredoc bodies still in the text are skipped by leaving scripts with heredocs alone.
  if (/<<(?!<)/.test(heredocs)) return heredocs;
  return quoteBraceWords(heredocs) ?? heredocs;
}
