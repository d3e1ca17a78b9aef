// Shells, interpreters and builtins that run code: `bash -c '…'` and `eval`
// are re-parsed when literal; `python -c`, `node -e`, `source` run confined
// code (execute); dynamic `eval`, stdin scripts and aliases are unknown.
import { optionValue, READ_ONLY, show, verdict, worst, type Family, type ProgramRule, type RuleContext, type RiskVerdict } from "./risk";

const readOnly: ProgramRule = () => READ_ONLY;

// Builtins that only change the shell's own state or print.
const BUILTINS = ["cd", "pushd", "popd", "read", "shift", "exit", "return", "break", "continue", "getopts", "unset", "command", "nice", "nohup", "time", "builtin", "setsid", "unbuffer", "stdbuf", "compgen"] as const;

const INTERPRETERS = ["python", "python3", "python2", "node", "nodejs", "deno", "perl", "ruby", "php", "lua", "Rscript", "tclsh"] as const;

const shell: ProgramRule = ({ argv, name, stdin }, ctx) => {
  const at = argv.findIndex((a, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a));
  if (at !== -1) {
    const code = argv[at + 1];
    return code === undefined ? verdict("unknown", `${name} -c: no script`) : ctx.script(code, `${name} -c`);
  }
  const stdinFlag = argv.findIndex((a, i) => i > 0 && /^-[a-zA-Z]*s[a-zA-Z]*$/.test(a));
  const file = stdinFlag === -1 ? argv.slice(1).find((a) => !a.startsWith("-") && !a.startsWith("+")) : undefined;
  if (argv.slice(1).some((a) => a === "--version")) return READ_ONLY;
  if (file) return worst(verdict("execute", `${name} ${file}: runs a script file`), ctx.written(file, `${name} ${file} (written by this script)`) ?? READ_ONLY);
  // A literal here-string or heredoc is the script: read it like one.
  if (stdin?.literal) return ctx.script(stdin.text, `${name} (script on stdin)`);
  return verdict("unknown", `${name}: runs commands read from stdin`);
};

// script(1): `-c CMD` (util-linux) or `script FILE CMD…` (BSD) runs a command; it also writes the typescript file.
const scriptRule: ProgramRule = ({ argv }, ctx) => {
  const cluster = argv.findIndex((a) => /^-[a-zA-Z]*c$/.test(a));
  const command = cluster !== -1 ? argv[cluster + 1] : optionValue(argv, ["--command"]);
  const writes = verdict("write", `${show(argv)}: script writes the session to a file`);
  if (command !== undefined) return worst(writes, ctx.script(command, "script -c"));
  const operands = argv.slice(1).filter((a) => !a.startsWith("-"));
  return operands.length > 1 ? worst(writes, ctx.inner(operands.slice(1), "script")) : verdict("unknown", `${show(argv)}: script runs an interactive shell`);
};

// GNU parallel runs its command through a shell once per argument of the `:::` lists (or of stdin).
const parallel: ProgramRule = ({ argv }, ctx) => {
  const lists = argv.indexOf(":::");
  const head = argv.slice(1, lists === -1 ? undefined : lists);
  const first = head.findIndex((a) => !a.startsWith("-"));
  const words = first === -1 ? [] : head.slice(first);
  const args = lists === -1 ? [] : argv.slice(lists + 1).filter((a) => !/^:::+$/.test(a));
  if (words.length === 0) return verdict("unknown", `${show(argv)}: parallel runs commands read from stdin`);
  const runs = worst(...(args.length > 0 ? args : [""]).map((arg) => ctx.script(words.join(" ").replace(/\{\}/g, arg) + (words.join(" ").includes("{}") ? "" : ` ${arg}`), "parallel")));
  return lists === -1 ? worst(runs, verdict("unknown", "parallel: arguments read from stdin could be anything")) : runs;
};

// entr runs its command (through a shell with -s) whenever a file it watches changes.
const entr: ProgramRule = ({ argv }, ctx) => {
  const at = argv.findIndex((a, i) => i > 0 && !a.startsWith("-"));
  if (at === -1) return verdict("unknown", "entr: no command");
  return argv.slice(1, at).some((a) => a.includes("s")) ? ctx.script(argv.slice(at).join(" "), "entr -s") : ctx.inner(argv.slice(at), "entr");
};

// mapfile/readarray -C CALLBACK runs the callback; `read`, `mapfile`, `printf -v` assign to a name (see arithmetic).
const mapfile: ProgramRule = ({ argv, name }, ctx) => {
  const callback = optionValue(argv, ["-C"]);
  return callback === undefined ? READ_ONLY : worst(verdict("execute", `${name} -C ${callback}: runs a callback`), ctx.script(callback, `${name} -C`));
};

// complete -C CMD / -F FUNC: run when completing (never in a script, but the code is there to run).
const complete: ProgramRule = ({ argv }, ctx) => {
  const command = optionValue(argv, ["-C"]);
  if (command !== undefined) return worst(verdict("execute", `complete -C ${command}: runs a command on completion`), ctx.script(command, "complete -C"));
  return optionValue(argv, ["-F"]) !== undefined ? verdict("unknown", `${show(argv)}: runs a function on completion`) : READ_ONLY;
};

// Library calls that delete files or trees (Python, Node, Perl, Ruby, PHP).
const DELETING_CALL = /\b(shutil\.rmtree|os\.(remove|unlink|rmdir|removedirs)|Path\([^)]*\)\.unlink|\.unlink\(|(fs\.)?(rmSync|rmdirSync|unlinkSync)|fs\.(rm|rmdir|unlink)\b|FileUtils\.rm\w*|File\.delete|rmtree|unlink\s*\(?)/;

// Calls that hand a literal string to a shell (system("…"), execSync('…'), `…`, %x(…)) or a literal argv to exec (subprocess.run(["rm", …])).
const SHELL_CALL = /\b(?:system|popen|shell_exec|passthru|exec|execSync|spawnSync|getoutput|getstatusoutput|check_output|check_call|call|run|Popen)\s*\(\s*(?:(["'])((?:\\.|(?!\1).)*)\1|\[([^\]]*)\])|`([^`]*)`|%x\(([^)]*)\)/g;
// Backticks and %x(…) run a shell in Perl, Ruby and PHP only: in JavaScript
// they are template literals, and Python has neither.
const BACKTICKS_RUN_SHELL = /^(perl|ruby|php)/;

/** Verdicts for the shell commands inline interpreter code visibly runs. */
function shellCalls(code: string, name: string, ctx: RuleContext): RiskVerdict[] {
  const out: RiskVerdict[] = [];
  for (const m of code.matchAll(SHELL_CALL)) {
    if ((m[4] !== undefined || m[5] !== undefined) && !BACKTICKS_RUN_SHELL.test(name)) continue;
    const list = m[3]?.match(/(["'])((?:\\.|(?!\1).)*)\1/g)?.map((s) => s.slice(1, -1));
    if (list && list.length > 0) out.push(ctx.inner(list, `${name} exec`));
    else if (m[2] ?? m[4] ?? m[5]) out.push(ctx.script((m[2] ?? m[4] ?? m[5])!, `${name} shell call`));
  }
  return out;
}

// Interpreters run confined code: inline, a file, or a module resolved from the
// working directory; a program piped in on stdin is hidden from analysis.
const interpreter: ProgramRule = ({ argv, name, stdin }, ctx) => {
  if (argv.length === 2 && /^(-V|--version|-v|version)$/.test(argv[1]!)) return READ_ONLY;
  const module = argv.indexOf("-m");
  if (module !== -1 && /^pip3?$/.test(argv[module + 1] ?? "")) return ctx.inner(["pip", ...argv.slice(module + 2)], `${name} -m pip`);
  if (module !== -1) return verdict("execute", `${name} -m ${argv[module + 1] ?? ""}: runs a module found from the working directory`);
  const inline = argv.find((a) => /^(-c|-e|-E|-p|-r|--eval|--print|-x)$/.test(a));
  if (inline) {
    // The code is not parsed, but a call that deletes files is plain to see.
    const code = argv[argv.indexOf(inline) + 1] ?? "";
    const deletes = DELETING_CALL.exec(code);
    if (deletes) return verdict("destructive", `${show(argv, 3)}: ${name} ${inline} code calls ${deletes[0]}, which deletes files`);
    return worst(verdict("execute", `${show(argv, 3)}: ${name} ${inline} runs inline code`), ...shellCalls(code, name, ctx));
  }
  if (argv.length === 1 || argv[1] === "-") {
    return stdin?.literal ? verdict("execute", `${name}: runs the program in a literal heredoc`) : verdict("unknown", `${name}: runs a program read from stdin`);
  }
  return verdict("execute", `${show(argv, 3)}: ${name} runs a program`);
};

// Literal eval text is read like the script itself; dynamic text is hidden from analysis.
const evalRule: ProgramRule = ({ argv, dynamic }, ctx) =>
  dynamic
    ? verdict("unknown", `eval ${show(argv.slice(1), 2)}: runs dynamic text as shell code`)
    : worst(verdict("execute", "eval: runs its arguments as shell code"), ctx.script(argv.slice(1).join(" "), "eval"));

const source: ProgramRule = ({ argv, name }, ctx) =>
  worst(verdict("execute", `${name} ${argv[1] ?? ""}: runs a script in this shell`.replace(" :", ":")), ctx.written(argv[1] ?? "", `${name} ${argv[1]} (written by this script)`) ?? READ_ONLY);

const alias: ProgramRule = ({ argv }, ctx) => {
  const definitions = argv.slice(1).filter((a) => a.includes("="));
  if (definitions.length === 0) return READ_ONLY;
  return worst(
    verdict("unknown", `alias ${definitions[0]}: defines an alias that later commands run`),
    ...definitions.map((d) => ctx.script(d.slice(d.indexOf("=") + 1), `alias ${d.slice(0, d.indexOf("="))}`)),
  );
};

const trap: ProgramRule = ({ argv }, ctx) => {
  const action = argv.slice(1).find((a) => !a.startsWith("-"));
  if (action === undefined || argv.length < 3) return READ_ONLY;
  return worst(verdict("execute", `trap ${show([action])}: runs code on a signal`), ctx.script(action, "trap"));
};

const watch: ProgramRule = ({ argv }, ctx) => {
  const rest = argv.slice(1);
  const at = rest.findIndex((a, i) => !a.startsWith("-") && !/^-(n|d|-interval)$/.test(rest[i - 1] ?? ""));
  return at === -1 ? READ_ONLY : ctx.script(rest.slice(at).join(" "), "watch");
};

const set: ProgramRule = ({ argv }) =>
  argv.slice(1).every((a) => /^[-+][euxvCfnhbBTEH]+$|^[-+]o$|^(errexit|nounset|pipefail|xtrace|noclobber|noglob|verbose)$/.test(a))
    ? READ_ONLY : verdict("unknown", `${show(argv)}: changes shell options or positional parameters`);

const editor: ProgramRule = ({ argv, name }) => verdict("unknown", `${show(argv, 3)}: ${name} can run commands (:!cmd, -c)`);

const exec: ProgramRule = () => verdict("unknown", "exec without a command: redirects the shell's own file descriptors");

const opaque: ProgramRule = ({ argv, name }) => verdict("unknown", `${show(argv)}: ${name} changes how later commands are found or run`);

const letRule: ProgramRule = ({ argv }) =>
  argv.some((a) => /\$\(|`|\[/.test(a)) ? verdict("unknown", `${show(argv)}: arithmetic subscripts can run substitutions`) : READ_ONLY;

export const shells: Family = {
  rules: {
    ...Object.fromEntries(BUILTINS.map((n) => [n, readOnly])),
    bash: shell, sh: shell, dash: shell, zsh: shell, ksh: shell, mksh: shell, fish: shell,
    ...Object.fromEntries(INTERPRETERS.map((n) => [n, interpreter])),
    vim: editor, vi: editor, nvim: editor, emacs: editor, nano: editor, ed: editor,
    eval: evalRule, source, ".": source, alias, trap, watch, set, exec, let: letRule,
    shopt: opaque, enable: opaque, unalias: opaque,
    // hash with no arguments lists the table; -r empties it (later lookups search PATH again).
    hash: (cmd, ctx) => (cmd.argv.slice(1).every((a) => a === "-r" || a === "-l") ? READ_ONLY : opaque(cmd, ctx)),
    script: scriptRule, parallel, entr, mapfile, readarray: mapfile, complete,
  },
  // Interpreters run code whatever their options: expanded words can't raise that.
  anyArgs: ["cd", "pushd", "popd", "shift", "exit", "return", ...INTERPRETERS],
};
