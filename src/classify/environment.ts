// Assignments (`NAME=VALUE ls`, `export NAME=…`): which names are harmless,
// which ones inject code into the programs that run next.
import type { Assignment } from "../parse/extract";
import { verdict, type RiskVerdict } from "./risk";

// Loader, shell, interpreter, git, pager and editor variables that make a program run other code.
const INJECTION = /^(LD_\w+|DYLD_\w+|BASH_ENV|ENV|BASH_FUNC_.*|PROMPT_COMMAND|PS[0-4]|SHELLOPTS|BASHOPTS|IFS|PATH|CDPATH|GLOBIGNORE|HOME|XDG_CONFIG_HOME|NODE_OPTIONS|NODE_PATH|PYTHON\w*|PERL5?\w*|RUBY\w*|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|GIT_\w+|PAGER|MANPAGER|MANOPT|LESS\w*|EDITOR|VISUAL|SHELL|npm_config_\w+|NPM_CONFIG_\w+|RIPGREP_CONFIG_PATH|MAKEFLAGS|MAKEFILES|CARGO_\w+|RUSTC\w*|RUSTFLAGS|GOFLAGS|CC|CXX|SSH_\w+|SUDO_\w+)$/;

// Locale, colour and terminal settings that change output only.
const HARMLESS = /^(LANG|LANGUAGE|LC_\w+|TZ|NO_COLOR|FORCE_COLOR|CLICOLOR(_FORCE)?|TERM|COLUMNS|LINES|CI|TMPDIR|GREP_COLOR|GREP_COLORS|LS_COLORS|COLORTERM|DEBUG)$/;

const READS = new Set(["read", "mapfile", "readarray"]);

function show(a: Assignment): string {
  const value = a.value?.text ?? "";
  return `${a.name}=${value.length > 20 ? `${value.slice(0, 17)}…` : value}`;
}

/** Verdicts for NAME=VALUE prefixes of a command (or given to `env`). */
export function prefixVerdicts(assignments: readonly Assignment[], program: string): RiskVerdict[] {
  return assignments.flatMap((a) => {
    // IFS only changes how read and mapfile split what they read.
    if (a.name === "IFS" && READS.has(program)) return [];
    if (INJECTION.test(a.name)) return [verdict("unknown", `${show(a)}: can make ${program} run other code`)];
    if (HARMLESS.test(a.name) && a.value?.literal !== false) return [];
    return [verdict("unknown", `${show(a)}: assignment prefix changes what ${program} does`)];
  });
}

/** Verdicts for assignments that stand alone: they matter for the commands that follow. */
export function standaloneVerdicts(assignments: readonly Assignment[]): RiskVerdict[] {
  return assignments
    .filter((a) => INJECTION.test(a.name))
    .map((a) => verdict("unknown", `${show(a)}: changes how later commands run`));
}
