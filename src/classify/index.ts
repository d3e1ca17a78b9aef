// Classifies a bash script or an argv: parse, extract every command, peel
// wrappers, apply per-program rules, and take the highest risk with reasons.
import path = require("node:path");
import { extract, type Extraction, type RawCommand, type Redirect } from "../parse/extract";
import { loadBashParser, readyParser } from "../parse/parser";
import { joinContinuations } from "../parse/continuation";
import { normalizeLayout } from "../parse/layout";
import { scriptPath, writtenFiles } from "../parse/printed";
import { bracketDepth, LimitExceeded, LIMITS } from "../parse/limits";
import { plainExtraction } from "../parse/simple";
import type { Word } from "../parse/words";
import { SafeShError } from "../errors";
import type { Classification, CommandInfo } from "../types";
import { prefixVerdicts, standaloneVerdicts } from "./environment";
import { cloud } from "./cloud";
import { databases } from "./databases";
import { fileView } from "./file-view";
import { fileWrite } from "./file-write";
import { git } from "./git";
import { macos } from "./macos";
import { network } from "./network";
import { packages } from "./packages";
import { redirectVerdicts } from "./redirects";
import { isOutsidePath, rank, show, verdict, worst, type Family, type ProgramRule, type RuleContext, type RiskVerdict } from "./risk";
import { search } from "./search";
import { shells } from "./shells";
import { system } from "./system";
import { text } from "./text";
import { peelWrappers } from "./wrappers";

export interface ClassifyOptions {
  /** Directory relative paths are resolved against for `exists`; default process.cwd(). */
  cwd?: string;
  /** Whether a path (absolute, resolved against `cwd`) exists; lets `> file` onto an existing file count as destructive. Default: nothing exists. */
  exists?: (path: string) => boolean;
  /** Whether a path (absolute) is a directory; tells `cp a dir` (writes dir/a) from `cp a file` (replaces file). Default: none is. */
  isDirectory?: (path: string) => boolean;
}

const FAMILIES: Family[] = [fileView, fileWrite, search, text, git, packages, network, cloud, system, shells, macos, databases];
const RULES = new Map<string, ProgramRule>(FAMILIES.flatMap((f) => Object.entries(f.rules)));
const ANY_ARGS = new Set(FAMILIES.flatMap((f) => f.anyArgs ?? []));
// Stands for the operands xargs reads from stdin.
const STDIN_WORDS = "(words from stdin)";
// bash -c inside bash -c …: deeper nesting is refused rather than followed.
const MAX_DEPTH = 4;

interface State {
  options: ClassifyOptions;
  commands: CommandInfo[];
  functions: readonly string[];
  /** Files the script writes with text known statically, path → text. */
  files: ReadonlyMap<string, string>;
  /** Literal values assigned to each variable anywhere in the script (undefined: some value is not literal). */
  values: ReadonlyMap<string, readonly string[] | undefined>;
  depth: number;
  via: string[];
}

function context(state: State): RuleContext {
  const { exists, isDirectory, cwd } = state.options;
  return {
    exists: (p) => exists?.(path.resolve(cwd ?? process.cwd(), p)) ?? false,
    directory: (p) => isDirectory?.(path.resolve(cwd ?? process.cwd(), p)) ?? false,
    outside: (given) => {
      // A quoted expansion ("$HOME/x") names the same place.
      const p = given.replace(/^"(.*)"$/s, "$1");
      if (!isOutsidePath(p)) return false;
      // An absolute path into the working directory (a workspace under /home) is not outside it.
      const base = cwd ?? process.cwd();
      const resolved = path.posix.resolve(base, p);
      return !p.startsWith("/") || !(resolved === base || resolved.startsWith(`${base}/`));
    },
    inner: (argv, via) => {
      const words = argv.map((text): Word => ({ text, literal: true }));
      const inner = command({ words, assignments: [], redirects: [] }, { ...state, via: [...state.via, via] });
      return { risk: inner.risk, reasons: [`${via}: runs ${show(argv)}`, ...inner.reasons] };
    },
    written: (file, via) => {
      const text = state.files.get(scriptPath(file));
      return text === undefined ? undefined : context(state).script(text, via);
    },
    script: (text, via) => {
      const inner = script(text, { ...state, via: [...state.via, via], depth: state.depth + 1 });
      return { risk: inner.risk, reasons: [`${via}: runs a shell script`, ...inner.reasons] };
    },
  };
}

// `$NAME` or `${NAME}` in command position, quoted or not.
const VARIABLE_HEAD = /^("?)\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?\1$/;

/**
 * A command name read from a variable: unknown, and at least as risky as each
 * literal value the script assigns to it (`R=rm; $R -rf src` runs rm).
 */
function variableProgram(words: Word[], state: State): RiskVerdict {
  const head = words[0]!;
  const unknown = verdict("unknown", `${head.text}: command name is not literal`);
  const match = VARIABLE_HEAD.exec(head.text);
  const values = match ? state.values.get(match[2]!) : undefined;
  if (!values) return unknown;
  const rest = words.slice(1).map((w) => w.text);
  // Unquoted, the value is split into words; quoted, it is one word.
  return worst(unknown, ...values.map((value) => context(state).inner([...(match![1] ? [value] : value.split(/[ \t\n]+/).filter(Boolean)), ...rest], `${head.text}=${value}`)));
}

/** Redirections to `$NAME` get, besides themselves (unknown), one literal copy per value the script assigns to NAME. */
function withValues(redirects: readonly Redirect[], state: State): readonly Redirect[] {
  if (!redirects.some((r) => r.target && !r.target.literal)) return redirects;
  return redirects.flatMap((r) => {
    const match = r.target && !r.target.literal ? VARIABLE_HEAD.exec(r.target.text) : null;
    const values = match ? state.values.get(match[2]!) : undefined;
    return [r, ...(values ?? []).map((text) => ({ op: r.op, target: { text, literal: true } }))];
  });
}

function program(words: Word[], stdinArgs: boolean, state: State, stdin?: Word): RiskVerdict {
  const head = words[0]!;
  if (!head.literal) return variableProgram(words, state);
  if (state.functions.includes(head.text)) return verdict("unknown", `${head.text}: runs the function ${head.text} defined in this script`);
  const name = head.text.replace(/^.*\//, "");
  // ./script and bin/tool are repository code, whatever their name: they run confined.
  if (head.text.includes("/") && !head.text.startsWith("/")) {
    const runs = verdict("execute", `${head.text}: runs a program from the workspace`);
    const inner = context(state).written(head.text, `${head.text} (written by this script)`);
    return inner ? worst(runs, inner) : runs;
  }
  // mkfs.* are all one rule.
  const rule = RULES.get(name) ?? (name.startsWith("mkfs.") ? RULES.get("mkfs") : undefined);
  if (!rule) return verdict("unknown", `${head.text}: unknown program`);
  const dynamic = words.slice(1).some((w) => !w.literal);
  // xargs appends the words it reads: the rule sees that there are operands (`xargs rm` deletes files).
  const argv = [...words.map((w) => w.text), ...(stdinArgs ? [STDIN_WORDS] : [])];
  const result = rule({ name, argv, dynamic, ...(stdin ? { stdin } : {}) }, context(state));
  if (ANY_ARGS.has(name) || rank(result.risk) >= rank("unknown")) return result;
  // Words after `--` are operands for every program here but find, whose expressions follow it.
  const end = name === "find" ? -1 : argv.indexOf("--");
  const options = end === -1 ? words.slice(1) : words.slice(1, end);
  const open = options.find((w) => !w.literal || w.glob);
  if (!open && !stdinArgs) return result;
  const source = stdinArgs ? "xargs: words read from stdin" : open!.glob ? `${open!.text}: a glob that can match a file named like an option` : `${open!.text}: an expanded word`;
  return worst(result, verdict("unknown", `${source} could be any option of ${name}`));
}

function command(raw: RawCommand, state: State): RiskVerdict {
  const ctx = context(state);
  // Reserve the slot first so commands appear in reading order, outer before inner.
  const slot = state.commands.length;
  state.commands.push({ argv: [], wrappers: [], risk: "unknown", reasons: [] });
  const peeled = peelWrappers(raw.words);
  const name = peeled.words[0]?.text ?? "";
  const verdicts = [
    ...prefixVerdicts([...raw.assignments, ...peeled.assignments], name || "the shell"),
    ...redirectVerdicts(withValues(raw.redirects, state), ctx),
    ...peeled.verdicts,
  ];
  const stdin = [...raw.redirects].reverse().find((r) => r.op === "<<" || r.op === "<<<" || r.op === "<<-" || r.op === "|")?.target ?? undefined;
  if (peeled.words.length > 0) verdicts.push(program(peeled.words, peeled.stdinArgs, state, stdin));
  const result = worst(...verdicts);
  const info: CommandInfo = { argv: peeled.words.map((w) => w.text), wrappers: [...state.via, ...peeled.wrappers], risk: result.risk, reasons: result.reasons };
  if (peeled.words[0] && !peeled.words[0].literal) info.nameNotLiteral = true;
  state.commands[slot] = info;
  return result;
}

/** Why text can't be analysed as bash words at all (a NUL byte, the size limit), if it can't. */
function unreadable(text: string, what: string): string | undefined {
  // bash drops or truncates at NUL bytes: the words it runs are not the words read here.
  if (text.includes("\0")) return `${what} contains a NUL byte: bash would run different words`;
  if (text.length > LIMITS.scriptChars) return `${what} not analysed: longer than ${LIMITS.scriptChars} characters`;
  if (bracketDepth(text) > LIMITS.nesting) return `${what} not analysed: brackets nest more than ${LIMITS.nesting} levels deep`;
  return undefined;
}

function script(given: string, state: State): RiskVerdict & { parseError?: string } {
  if (state.depth > MAX_DEPTH) return verdict("unknown", `${show([given])}: shell nested more than ${MAX_DEPTH} levels deep`);
  const refused = unreadable(given, "script");
  if (refused) return verdict("unknown", refused);
  const joined = joinContinuations(given);
  if ("reason" in joined) return verdict("unknown", joined.reason);
  const source = normalizeLayout(joined.text);
  // Plain words need no grammar (the fast path is tested to agree with it).
  const plain = plainExtraction(source);
  const parser = readyParser();
  if (!plain && !parser) return verdict("unknown", `${show([source])}: script not parsed (the bash grammar is not loaded)`);
  let found: Extraction;
  try {
    found = plain ?? parser!.parse(source, (root) => extract(root, source));
  } catch (error) {
    if (error instanceof LimitExceeded) return verdict("unknown", `script not analysed: ${error.reason}`);
    // Copying and walking the tree recurse once per level: refuse what overflows the stack.
    if (!(error instanceof RangeError)) throw error;
    const parseError = "the script nests too deeply to analyse";
    return { ...verdict("unknown", parseError), parseError };
  }
  const inner: State = {
    ...state,
    functions: [...state.functions, ...found.functions],
    values: assignedValues(found.assignments, state.values),
    files: writtenFiles(found.commands, state.files),
  };
  const verdicts: RiskVerdict[] = [
    ...found.issues.map((issue) => verdict("unknown", issue)),
    ...(found.background ? [verdict("execute", "&: runs a background job (confined with the script)")] : []),
    ...standaloneVerdicts(found.assignments),
    ...redirectVerdicts(found.redirects, context(inner)),
    ...found.commands.map((raw) => command(raw, inner)),
    ...found.nested.map((text) => script(text, { ...inner, depth: inner.depth + 1 })),
  ];
  if (found.parseError) verdicts.push(verdict("unknown", `parse error: ${found.parseError}`));
  if (found.functions.length > 0) verdicts.push(verdict("unknown", `${found.functions.join(", ")}(): function definition`));
  return { ...worst(...verdicts), ...(found.parseError ? { parseError: found.parseError } : {}) };
}

/** The literal values each variable gets from the script's standalone assignments, added to those known already. */
function assignedValues(assignments: Extraction["assignments"], known: State["values"]): State["values"] {
  if (assignments.length === 0) return known;
  const values = new Map(known);
  for (const { name, value } of assignments) {
    const previous = values.has(name) ? values.get(name) : [];
    values.set(name, previous && value?.literal ? [...previous, value.text] : undefined);
  }
  return values;
}

function newState(options: ClassifyOptions = {}): State {
  return { options, commands: [], functions: [], values: new Map(), files: new Map(), depth: 0, via: [] };
}

/** Loads the bash grammar (native, falling back to WebAssembly). @throws SafeShError ERR_SAFESH_NATIVE */
export async function loadParser(): Promise<void> {
  await loadBashParser();
}

/**
 * Classifies a script once the parser is loaded (see {@link loadParser}).
 * @throws SafeShError ERR_SAFESH_USAGE when the parser is not loaded yet.
 */
export function classifyScriptSync(source: string, options?: ClassifyOptions): Classification {
  if (!readyParser() && !unreadable(source, "script") && !plainExtraction(source)) throw new SafeShError("ERR_SAFESH_USAGE", "the bash parser is not loaded", "call `await loadParser()` before classifyScriptSync");
  const state = newState(options);
  const { risk, reasons, parseError } = script(source, state);
  return { risk, reasons, commands: state.commands, ...(parseError ? { parseError } : {}) };
}

/**
 * Parses and classifies a bash script: every command anywhere in it, the highest risk wins.
 * @throws SafeShError ERR_SAFESH_NATIVE when the bash grammar cannot load.
 */
export async function classifyScript(source: string, options?: ClassifyOptions): Promise<Classification> {
  // A script of plain words is classified without loading the grammar (~15 ms).
  if (!plainExtraction(source)) await loadParser();
  return classifyScriptSync(source, options);
}

/**
 * Classifies an argv run without a shell (no parsing; words are literal).
 * Inner scripts (`bash -c '…'`) need the parser: they are unknown until it is loaded.
 */
export function classifyArgv(argv: string[], options?: ClassifyOptions): Classification {
  const state = newState(options);
  if (argv.length === 0) return { risk: "unknown", reasons: ["empty command"], commands: [] };
  const refused = argv.map((word) => unreadable(word, "argv word")).find(Boolean);
  if (refused) return { risk: "unknown", reasons: [refused], commands: [] };
  const result = command({ words: argv.map((text) => ({ text, literal: true })), assignments: [], redirects: [] }, state);
  return { risk: result.risk, reasons: result.reasons, commands: state.commands };
}
