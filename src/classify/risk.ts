// Risk levels, the verdict a rule returns, and the shape every per-program
// rule family shares.
import type { Word } from "../parse/words";
import { RISKS, type Risk } from "../types";

const RANK = Object.fromEntries(RISKS.map((risk, i) => [risk, i])) as Record<Risk, number>;

export function rank(risk: Risk): number {
  return RANK[risk];
}

/** A risk with the reasons that set it; reasons name the exact token. */
export interface RiskVerdict {
  risk: Risk;
  reasons: string[];
}

export const READ_ONLY: RiskVerdict = { risk: "read-only", reasons: [] };

export function verdict(risk: Risk, reason?: string): RiskVerdict {
  return { risk, reasons: reason ? [reason] : [] };
}

/** The highest of several verdicts; reasons come from the verdicts that reach it, then from the rest. */
export function worst(...verdicts: RiskVerdict[]): RiskVerdict {
  if (verdicts.length === 1) return verdicts[0]!;
  let risk: Risk = "read-only";
  for (const v of verdicts) if (RANK[v.risk] > RANK[risk]) risk = v.risk;
  const reasons: string[] = [];
  for (const top of [true, false]) {
    for (const v of verdicts) {
      if ((v.risk === risk) !== top) continue;
      for (const reason of v.reasons) if (!reasons.includes(reason)) reasons.push(reason);
    }
  }
  return { risk, reasons };
}

/** What a rule can ask of the classifier: inner commands and scripts are classified recursively. */
export interface RuleContext {
  /** Classifies a literal argv run by this command (find -exec, xargs, git bisect run). */
  inner(argv: string[], via: string): RiskVerdict;
  /** Classifies a literal shell script run by this command (bash -c, watch, git rebase -x). */
  script(text: string, via: string): RiskVerdict;
  /** Whether a path exists (for `>` onto an existing file); false when unknown. */
  exists(path: string): boolean;
  /** Whether a path is a directory; false when unknown. */
  directory(path: string): boolean;
  /** What runs when a file the script itself wrote with known text is run (`echo 'rm -rf src' > x.sh; sh x.sh`), if it did. */
  written(path: string, via: string): RiskVerdict | undefined;
  /** Whether a path is outside the workspace in a system tree or a home directory (see {@link isOutsidePath}). */
  outside(path: string): boolean;
}

/** A command after wrappers were peeled: program basename, full argv, and whether any argument is expanded. */
export interface Invocation {
  name: string;
  argv: string[];
  /** Arguments expanded at run time could turn into any option. */
  dynamic: boolean;
  /** A here-string or heredoc on the command's stdin (literal when bash would not expand it). */
  stdin?: Word;
}

export type ProgramRule = (cmd: Invocation, ctx: RuleContext) => RiskVerdict;

export interface Family {
  rules: Record<string, ProgramRule>;
  /** Programs none of whose options write or execute: expanded arguments keep their risk. */
  anyArgs?: readonly string[];
}

/** The words of `argv` joined for a reason, shortened. */
export function show(argv: readonly string[], max = 4): string {
  const words = argv.slice(0, max).map((w) => (w.length > 30 ? `${w.slice(0, 27)}…` : w));
  return argv.length > max ? `${words.join(" ")} …` : words.join(" ");
}

/** Splits short-option clusters (`-rf` → r, f) of the options before `--`. */
export function shortFlags(args: readonly string[]): Set<string> {
  const flags = new Set<string>();
  for (const arg of args) {
    if (arg === "--") break;
    if (/^-[A-Za-z0-9]/.test(arg)) for (const c of arg.slice(1)) flags.add(c);
  }
  return flags;
}

/**
 * Whether `arg` spells the long option `name` (`--force`): whole, with `=value`,
 * or as a unique prefix, which GNU getopt_long and git accept (`--for`). An
 * ambiguous prefix is an error for the program, so matching it is safe.
 */
export function isLong(arg: string, name: string): boolean {
  const given = arg.split("=")[0]!;
  return given === name || (given.length >= 3 && given.startsWith("--") && name.startsWith(given) && !COMPLETE.has(given));
}

// Complete options that are also prefixes of longer ones (tar --checkpoint / --checkpoint-action).
const COMPLETE = new Set(["--checkpoint", "--exec", "--get", "--text", "--all"]);

/** Whether any option before `--` spells one of the long `names` (prefixes included) or is one of the short ones. */
export function hasOption(args: readonly string[], names: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === "--") return false;
    if (names.some((name) => (name.startsWith("--") ? isLong(arg, name) : arg === name))) return true;
  }
  return false;
}

/** The value of `--name=value` or `--name value` (long names also by unique prefix, short ones glued: `-oFILE`), if present. */
export function optionValue(args: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return undefined;
    for (const name of names) {
      if (name.startsWith("--")) {
        if (!arg.startsWith("--") || !isLong(arg, name)) continue;
        return arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[i + 1] ?? "";
      }
      if (arg === name) return args[i + 1] ?? "";
      if (arg.startsWith(name) && arg.length > name.length && name.length === 2) return arg.slice(2);
      // A cluster of flags ending in this option (`-sSLo FILE`), or with a value that is no letter glued on (`-qO-`).
      // Not a letter in the middle: `-psecret` is -p with a glued value, not -c.
      const at = name.length === 2 && /^-[A-Za-z]{2,}/.test(arg) ? arg.indexOf(name[1]!, 2) : -1;
      if (at !== -1 && /^[A-Za-z]+$/.test(arg.slice(1, at))) {
        if (at === arg.length - 1) return args[i + 1] ?? "";
        if (/^[^A-Za-z]/.test(arg.slice(at + 1))) return arg.slice(at + 1);
      }
    }
  }
  return undefined;
}

// System trees, other users' homes and the macOS system folders: a target there
// reaches outside the workspace (the sandbox refuses it, the audit trail must show it).
const SYSTEM_PATH = /^(\/$|\/(etc|usr|bin|sbin|lib|lib32|lib64|libx32|boot|root|opt|srv|snap|sys|proc|var(?!\/tmp(\/|$))|dev|home|Library|System|Applications|private|Users|Volumes|nix)(\/|$)|~|\$HOME(\/|$)|\$\{HOME\}(\/|$))/;
// bash's own network pseudo-files: a redirect there opens a connection, it writes no file.
const NETWORK_PATH = /^\/dev\/(tcp|udp)\//;

/** Whether a redirect target is one of bash's /dev/tcp or /dev/udp connections. */
export function isNetworkPath(path: string): boolean {
  return NETWORK_PATH.test(path);
}

/** Whether a path names a place outside any workspace: system trees, a home directory (`~`, `$HOME`, /home). */
export function isOutsidePath(path: string): boolean {
  return SYSTEM_PATH.test(path) && !isDevSink(path) && !isNetworkPath(path);
}

/** Paths where deleting is routine: under /tmp or /var/tmp, without `..`. */
export function isTemporaryPath(path: string): boolean {
  return /^\/(var\/)?tmp\/[^]+/.test(path) && !path.split("/").includes("..");
}

/** Harmless sinks for output redirections and file arguments. */
export function isDevSink(path: string): boolean {
  return /^\/dev\/(null|stdout|stderr|tty|fd\/[0-9]+)$/.test(path);
}
