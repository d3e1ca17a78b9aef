// Shells, interpreters and builtins that run code: `bash -c '…'` and `eval`
// are re-parsed when literal; `python -c`, `node -e`, `source` run confined
// code (execute); dynamic `eval`, stdin scripts and aliases are unknown.
import { READ_ONLY, show, verdict, worst, type Family, type Rule } from "./risk";

const readOnly: Rule = () => READ_ONLY;

// Builtins that only change the shell's own state or print.
const BUILTINS = ["cd", "pushd", "popd", "read", "shift", "exit", "return", "break", "continue", "getopts", "mapfile", "readarray", "unset", "command", "nice", "nohup", "time", "builtin", "setsid", "unbuffer", "stdbuf"] as const;

const INTERPRETERS = ["python", "python3", "python2", "node", "nodejs", "deno", "perl", "ruby", "php", "lua", "Rscript", "tclsh"] as const;

const shell: Rule = ({ argv, name }, ctx) => {
  const at = argv.findIndex((a, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a));
  if (at !== -1) {
    const code = argv[at + 1];
    return code === undefined ? verdict("unknown", `${name} -c: no script`) : ctx.script(code, `${name} -c`);
  }
  const file = argv.slice(1).find((a) => !a.startsWith("-") && !a.startsWith("+"));
  if (argv.slice(1).some((a) => a === "--version")) return READ_ONLY;
  return file ? verdict("execute", `${name} ${file}: runs a script file`) : verdict("unknown", `${name}: runs commands read from stdin`);
};

// Interpreters run confined code: inline, a file, or a module resolved from the
// working directory; a program piped in on stdin is hidden from analysis.
const interpreter: Rule = ({ argv, name }, ctx) => {
  if (argv.length === 2 && /^(-V|--version|-v|version)$/.test(argv[1]!)) return READ_ONLY;
  const module = argv.indexOf("-m");
  if (module !== -1 && /^pip3?$/.test(argv[module + 1] ?? "")) return ctx.inner(["pip", ...argv.slice(module + 2)], `${name} -m pip`);
  if (module !== -1) return verdict("execute", `${name} -m ${argv[module + 1] ?? ""}: runs a module found from the working directory`);
  const inline = argv.find((a) => /^(-c|-e|-E|-p|-r|--eval|--print|-x)$/.test(a));
  if (inline) return verdict("execute", `${show(argv, 3)}: ${name} ${inline} runs inline code`);
  if (argv.length === 1 || argv[1] === "-") return verdict("unknown", `${name}: runs a program read from stdin`);
  return verdict("execute", `${show(argv, 3)}: ${name} runs a program`);
};

// Literal eval text is read like the script itself; dynamic text is hidden from analysis.
const evalRule: Rule = ({ argv, dynamic }, ctx) =>
  dynamic
    ? verdict("unknown", `eval ${show(argv.slice(1), 2)}: runs dynamic text as shell code`)
    : worst(verdict("execute", "eval: runs its arguments as shell code"), ctx.script(argv.slice(1).join(" "), "eval"));

const source: Rule = ({ argv, name }) => verdict("execute", `${name} ${argv[1] ?? ""}: runs a script in this shell`.replace(" :", ":"));

const alias: Rule = ({ argv }, ctx) => {
  const definitions = argv.slice(1).filter((a) => a.includes("="));
  if (definitions.length === 0) return READ_ONLY;
  return worst(
    verdict("unknown", `alias ${definitions[0]}: defines an alias that later commands run`),
    ...definitions.map((d) => ctx.script(d.slice(d.indexOf("=") + 1), `alias ${d.slice(0, d.indexOf("="))}`)),
  );
};

const trap: Rule = ({ argv }, ctx) => {
  const action = argv.slice(1).find((a) => !a.startsWith("-"));
  if (action === undefined || argv.length < 3) return READ_ONLY;
  return worst(verdict("execute", `trap ${show([action])}: runs code on a signal`), ctx.script(action, "trap"));
};

const watch: Rule = ({ argv }, ctx) => {
  const rest = argv.slice(1);
  const at = rest.findIndex((a, i) => !a.startsWith("-") && !/^-(n|d|-interval)$/.test(rest[i - 1] ?? ""));
  return at === -1 ? READ_ONLY : ctx.script(rest.slice(at).join(" "), "watch");
};

const set: Rule = ({ argv }) =>
  argv.slice(1).every((a) => /^[-+][euxvCfnhbBTEH]+$|^[-+]o$|^(errexit|nounset|pipefail|xtrace|noclobber|noglob|verbose)$/.test(a))
    ? READ_ONLY : verdict("unknown", `${show(argv)}: changes shell options or positional parameters`);

const editor: Rule = ({ argv, name }) => verdict("unknown", `${show(argv, 3)}: ${name} can run commands (:!cmd, -c)`);

const exec: Rule = () => verdict("unknown", "exec without a command: redirects the shell's own file descriptors");

const opaque: Rule = ({ argv, name }) => verdict("unknown", `${show(argv)}: ${name} changes how later commands are found or run`);

const letRule: Rule = ({ argv }) =>
  argv.some((a) => /\$\(|`|\[/.test(a)) ? verdict("unknown", `${show(argv)}: arithmetic subscripts can run substitutions`) : READ_ONLY;

export const shells: Family = {
  rules: {
    ...Object.fromEntries(BUILTINS.map((n) => [n, readOnly])),
    bash: shell, sh: shell, dash: shell, zsh: shell, ksh: shell, mksh: shell, fish: shell,
    ...Object.fromEntries(INTERPRETERS.map((n) => [n, interpreter])),
    vim: editor, vi: editor, nvim: editor, emacs: editor, nano: editor, ed: editor,
    eval: evalRule, source, ".": source, alias, trap, watch, set, exec, let: letRule,
    shopt: opaque, enable: opaque, hash: opaque, unalias: opaque, coproc: opaque,
  },
  // Interpreters run code whatever their options: expanded words can't raise that.
  anyArgs: ["cd", "pushd", "popd", "shift", "exit", "return", ...INTERPRETERS],
};
