// Walks a tree-sitter-bash tree and extracts every simple command anywhere in
// it (lists, pipelines, substitutions, heredocs, loops, functions), plus the
// structural facts that make a script impossible to vouch for.
import type { SyntaxNode } from "./parser";
import { Arithmetic, isNumeric, READS_INTO } from "./arithmetic";
import { literalOutput } from "./printed";
import { wordOf, wordsOf, type Word } from "./words";

export interface Assignment {
  name: string;
  value: Word | null;
}

export interface Redirect {
  /** The operator as written: ">", ">>", "&>", "<", ">&", "<<<", …; "|" for literal text piped in by the previous command. */
  op: string;
  /** The target file (or fd number after >&); for `<<` and `<<<` the text given on stdin. */
  target: Word | null;
}

export interface RawCommand {
  /** Command name first, then arguments; empty for `exec >log`-like lines without a name. */
  words: Word[];
  /** NAME=VALUE prefixes. */
  assignments: Assignment[];
  redirects: Redirect[];
}

export interface Extraction {
  commands: RawCommand[];
  /** Names of functions defined anywhere in the script. */
  functions: string[];
  /** Assignments that stand alone (`A=1`, `export A=1`): they change the environment of later commands. */
  assignments: Assignment[];
  /** Redirections on compound statements (`{ …; } > out`). */
  redirects: Redirect[];
  /** Why the script cannot be analysed exactly (each one makes it at least unknown). */
  issues: string[];
  /** Text the grammar left as words although bash runs substitutions in it: classified as scripts. */
  nested: string[];
  /** Set when a command runs as a background job (`&`): code that runs on, confined, beside the script. */
  background?: true;
  /** Set when the tree has ERROR or MISSING nodes. */
  parseError?: string;
}

// Every node kind the extractor understands; anything else makes the script unknown.
const KNOWN_KINDS = new Set([
  "program", "list", "pipeline", "redirected_statement", "command", "command_name", "word", "string",
  "string_content", "raw_string", "ansi_c_string", "translated_string", "concatenation", "number",
  "simple_expansion", "expansion", "variable_name", "special_variable_name", "command_substitution",
  "process_substitution", "arithmetic_expansion", "subshell", "compound_statement", "if_statement",
  "elif_clause", "else_clause", "while_statement", "for_statement", "c_style_for_statement", "do_group",
  "case_statement", "case_item", "function_definition", "negated_command", "test_command",
  "declaration_command", "unset_command", "variable_assignment", "variable_assignments", "array",
  "file_redirect", "file_descriptor", "heredoc_redirect", "heredoc_start", "heredoc_body",
  "heredoc_content", "heredoc_end", "herestring_redirect", "comment", "brace_expression",
  "binary_expression", "unary_expression", "postfix_expression", "ternary_expression",
  "parenthesized_expression", "subscript", "test_operator", "extglob_pattern", "regex",
]);

// Form feed, vertical tab and Unicode spaces: word characters to bash, blanks to tree-sitter.
const UNSPLIT_BLANK = /[\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

const REDIRECT_KINDS = new Set(["file_redirect", "heredoc_redirect", "herestring_redirect"]);
const TIMED_GROUPS = new Set(["subshell", "compound_statement"]);

function firstError(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type === "ERROR" || node.isMissing) return node;
  if (!node.hasError) return undefined;
  for (const child of node.children) {
    const found = firstError(child);
    if (found) return found;
  }
  return undefined;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 40 ? `${line.slice(0, 37)}…` : line;
}

// A subscript whose index expands: bash evaluates it (running substitutions) when a builtin assigns or tests the name.
const EXPANDING_SUBSCRIPT = /\[[^\]]*[$`]/;
// Builtins that take variable names (printf -v NAME, read NAME, test -v NAME, unset NAME, …).
const NAME_BUILTINS = new Set(["read", "mapfile", "readarray", "getopts", "printf", "test", "[", "unset", "declare", "local", "typeset", "export", "readonly", "wait", "let"]);
// Bare `;;` is only valid inside case; tree-sitter accepts it anywhere, bash rejects the script.
const CASE_TERMINATORS = new Set([";;", ";&", ";;&"]);

class Walker {
  readonly out: Extraction = { commands: [], functions: [], assignments: [], redirects: [], issues: [], nested: [] };
  readonly arithmetic = new Arithmetic();

  visit(node: SyntaxNode): void {
    if (!node.isNamed) {
      if (node.type === "&") this.out.background = true;
      return;
    }
    if (Arithmetic.isContext(node)) {
      if (node.type === "subscript") this.arithmetic.visitSubscript(node);
      else this.arithmetic.visit(node);
    }
    if (node.type === "ERROR") return this.children(node); // reported as parseError; still extract what it holds
    if (!KNOWN_KINDS.has(node.type)) {
      this.issue(`${clip(node.text)}: unsupported syntax (${node.type})`);
      return;
    }
    switch (node.type) {
      case "command":
        return this.command(node, []);
      case "redirected_statement":
        return this.redirected(node);
      case "pipeline":
        return this.pipeline(node);
      case "variable_assignment":
        this.out.assignments.push(this.track(this.assignment(node), node));
        return this.children(node);
      case "for_statement": {
        const variable = node.namedChildren.find((child) => child.type === "variable_name");
        const values = node.namedChildren.filter((child) => child !== variable && child.type !== "do_group");
        if (variable) this.arithmetic.assign(variable.text, values.length > 0 && values.every((v) => v.type === "number"));
        // Each word of the list is a value the variable takes (`for f in a b` assigns a, then b).
        if (variable) for (const word of values.length > 0 ? values.flatMap(wordsOf) : [null]) this.out.assignments.push({ name: variable.text, value: word });
        return this.children(node);
      }
      case "unset_command":
      case "declaration_command":
        this.checkNames(node.namedChildren.map((child) => child.text), node.text);
        return this.children(node);
      case "test_command":
        if (/(^|\s)-v\s/.test(node.text)) this.checkNames(node.namedChildren.map((child) => child.text), node.text);
        return this.children(node);
      case "function_definition": {
        const name = node.namedChildren.find((child) => child.type === "word");
        if (name) this.out.functions.push(wordOf(name).text);
        return this.children(node);
      }
      case "expansion":
        // ${var@P} expands the value as a prompt, which runs $(…) found in it.
        if (/@P\}$/.test(node.text)) this.issue(`${node.text}: prompt expansion can run commands stored in the variable`);
        // tree-sitter reads `…` and $(…) in a ${V/pattern/replacement} as plain words: classify them as scripts.
        for (const child of node.namedChildren) {
          if ((child.type === "word" || child.type === "regex") && /`|\$\(/.test(child.text)) this.out.nested.push(child.text);
        }
        return this.children(node);
      default:
        return this.children(node);
    }
  }

  private children(node: SyntaxNode): void {
    for (const child of node.children) {
      if (!child.isNamed && CASE_TERMINATORS.has(child.type) && node.type !== "case_item" && node.type !== "case_statement") {
        this.out.parseError ??= `${child.type} outside case (bash rejects the script)`;
      }
      this.visit(child);
    }
  }

  /** Records an assignment for arithmetic tracking: numeric literal or arithmetic result, or anything else. */
  private track(assignment: Assignment, node: SyntaxNode): Assignment {
    const value = node.namedChildren[1];
    const numeric = !value || value.type === "arithmetic_expansion" || (assignment.value?.literal === true && isNumeric(assignment.value.text));
    if (node.namedChildren[0]?.type === "variable_name") this.arithmetic.assign(assignment.name, numeric);
    return assignment;
  }

  /** A name with an expanding subscript given to a builtin runs the substitutions in it. */
  private checkNames(words: readonly string[], shown: string): void {
    const bad = words.find((word) => EXPANDING_SUBSCRIPT.test(word));
    if (bad) this.issue(`${clip(shown)}: the subscript in ${clip(bad)} is evaluated and can run commands`);
  }

  private issue(reason: string): void {
    if (!this.out.issues.includes(reason)) this.out.issues.push(reason);
  }

  private assignment(node: SyntaxNode): Assignment {
    const [name, value] = node.namedChildren;
    const raw = node.text;
    const key = name?.type === "variable_name" ? name.text : raw.split(/\+?=/)[0] ?? raw;
    return { name: key, value: value ? wordOf(value) : null };
  }

  private redirect(node: SyntaxNode): Redirect {
    const op = node.children.find((child) => !child.isNamed)?.type ?? "";
    if (node.type === "heredoc_redirect") {
      // The body is the command's stdin: literal when the delimiter is quoted or nothing in it expands.
      const start = node.namedChildren.find((child) => child.type === "heredoc_start")?.text ?? "";
      const body = node.namedChildren.find((child) => child.type === "heredoc_body");
      if (!body) return { op: "<<", target: null };
      const quoted = /['"\\]/.test(start);
      const literal = quoted || body.namedChildren.every((child) => child.type === "heredoc_content");
      const text = quoted ? body.text : body.text.replace(/\\\n/g, "").replace(/\\([\\$`])/g, "$1");
      return { op: "<<", target: literal ? { text: text.replace(/\n$/, ""), literal: true } : { text: body.text, literal: false } };
    }
    const target = node.namedChildren.find((child) => child.type !== "file_descriptor" && child.type !== "heredoc_body");
    return { op, target: target ? wordOf(target) : null };
  }

  private redirected(node: SyntaxNode): void {
    const body = node.namedChildren.find((child) => !REDIRECT_KINDS.has(child.type));
    const redirects = node.namedChildren.filter((child) => REDIRECT_KINDS.has(child.type));
    if (body?.type === "command") this.command(body, redirects);
    // bash gives redirections after a pipeline to its last command (the grammar to the pipeline).
    else if (body?.type === "pipeline" && body.namedChildren.at(-1)?.type === "command") this.pipeline(body, redirects);
    else {
      if (body) this.visit(body);
      for (const redirect of redirects) this.out.redirects.push(this.redirect(redirect));
    }
    // Visit redirects for substitutions in targets and heredoc bodies; extra
    // "destinations" after a redirect target are arguments of the command.
    for (const redirect of redirects) this.children(redirect);
  }

  /** Visits a pipeline's commands; text a command prints literally is the next one's stdin (`echo rm -rf src | sh`). */
  private pipeline(node: SyntaxNode, lastRedirects: SyntaxNode[] = []): void {
    let output: Word | undefined;
    const last = node.namedChildren.at(-1);
    for (const child of node.children) {
      const before = this.out.commands.length;
      if (child === last && lastRedirects.length > 0) this.command(child, lastRedirects);
      else this.visit(child);
      if (!child.isNamed) continue;
      const body = child.type === "redirected_statement" ? child.namedChildren.find((c) => !REDIRECT_KINDS.has(c.type)) : child;
      const command = body?.type === "command" ? this.out.commands[before] : undefined;
      // An input redirection of its own replaces the pipe: then its stdin is not the text.
      if (command && output && !command.redirects.some((r) => r.op.startsWith("<") && !r.op.startsWith("<<"))) command.redirects.unshift({ op: "|", target: output });
      output = command && literalOutput(command);
    }
  }

  private names(words: readonly Word[]): void {
    namesOf(this, words);
    const name = words[0]?.literal ? words[0].text : "";
    if (!NAME_BUILTINS.has(name)) return;
    const args = words.slice(1).map((w) => w.text);
    // test, [ and printf take a name only after -v; the others take names as operands.
    const named = ["test", "[", "printf"].includes(name) ? args.filter((_, i) => args[i - 1] === "-v") : args;
    this.checkNames(named, words.map((w) => w.text).join(" "));
  }

  private command(node: SyntaxNode, outerRedirects: SyntaxNode[]): void {
    const command: RawCommand = { words: [], assignments: [], redirects: [] };
    for (const child of node.namedChildren) {
      if (child.type === "variable_assignment") command.assignments.push(this.track(this.assignment(child), child));
      else if (REDIRECT_KINDS.has(child.type)) command.redirects.push(this.redirect(child));
      else if (child.type === "command_name") command.words.push(...wordsOf(child.namedChildren[0] ?? child));
      // `time ( … )` / `time { …; }`: the grammar makes the group an argument; its commands are visited below.
      else if (TIMED_GROUPS.has(child.type) && command.words.length === 1 && command.words[0]!.text === "time") continue;
      else command.words.push(...wordsOf(child));
    }
    for (const redirect of outerRedirects) {
      command.redirects.push(this.redirect(redirect));
      const extra = redirect.namedChildren.filter((child) => child.type !== "file_descriptor");
      for (const word of extra.slice(1)) if (redirect.type === "file_redirect") command.words.push(...wordsOf(word));
    }
    this.out.commands.push(command);
    this.names(command.words);
    // Prefix assignments belong to this command: visit only their values.
    for (const child of node.children) {
      if (child.type === "variable_assignment") this.children(child);
      else this.visit(child);
    }
  }
}

/** Reads what builtins that take variable names do with them (read assigns input; let evaluates). */
function namesOf(walker: Walker, words: readonly Word[]): void {
  const name = words[0]?.literal ? words[0].text : "";
  if (!NAME_BUILTINS.has(name)) return;
  const args = words.slice(1).map((w) => w.text);
  if (name === "let") walker.arithmetic.visitLet(args);
  const vFlag = args.indexOf("-v");
  if (READS_INTO.has(name)) for (const arg of args) if (/^[A-Za-z_]\w*$/.test(arg)) walker.arithmetic.assign(arg, false);
  if (name === "printf" && vFlag !== -1 && args[vFlag + 1]) walker.arithmetic.assign(args[vFlag + 1]!, false);
}

/** Extracts every command and the structural issues of a parsed script. */
export function extract(root: SyntaxNode, script: string): Extraction {
  const walker = new Walker();
  const error = firstError(root);
  if (error) {
    walker.out.parseError = `${error.isMissing ? `missing ${error.type}` : "syntax error"} near "${clip(error.text || script)}"`;
  }
  // tree-sitter-bash treats a carriage return as a blank; bash keeps it inside the word.
  if (script.includes("\r")) walker.out.issues.push("\\r: carriage return is split differently by bash and the parser");
  const blank = UNSPLIT_BLANK.exec(script);
  if (blank) walker.out.issues.push(`U+${blank[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}: bash does not split words on this character; the parser does`);
  if (script.includes("\uFFFD")) walker.out.issues.push("U+FFFD: the script had bytes that are not UTF-8; bash would run the original bytes");
  walker.visit(root);
  walker.out.issues.push(...walker.arithmetic.issues());
  return walker.out;
}
