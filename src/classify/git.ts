// git: global options that run programs (-c, --exec-path, …), read-only
// subcommands, network ones, and the ones that discard work (reset --hard, …).
import { hasOption, isDevSink, isLong, optionValue, READ_ONLY, shortFlags, show, verdict, worst, type Family, type ProgramRule, type RuleContext, type RiskVerdict } from "./risk";

// Config keys that only change output; any other -c key may name a program (core.pager, core.sshCommand, …).
const HARMLESS_KEYS = /^(color\.[\w.]+|core\.quotepath|core\.abbrev|log\.\w+|advice\.\w+|diff\.noprefix|diff\.renames|user\.(name|email)|author\.(name|email)|committer\.(name|email)|commit\.gpgsign|tag\.gpgsign|init\.defaultbranch|column\.ui)$/i;
const GLOBAL_WITH_VALUE = new Set(["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env", "--exec-path", "--super-prefix", "--list-cmds"]);

const READ_ONLY_SUBCOMMANDS = new Set([
  "status", "log", "show", "diff", "blame", "annotate", "rev-parse", "rev-list", "ls-files", "ls-tree", "cat-file",
  "describe", "shortlog", "merge-base", "name-rev", "for-each-ref", "show-ref", "show-branch", "var", "version",
  "count-objects", "fsck", "check-ignore", "check-attr", "check-ref-format", "verify-commit", "verify-tag",
  "whatchanged", "cherry", "diff-tree", "diff-files", "diff-index", "grep", "range-diff", "help",
]);
const NETWORK_SUBCOMMANDS = new Set(["fetch", "pull", "clone", "ls-remote", "send-email", "request-pull", "fetch-pack", "daemon"]);
const WRITE_SUBCOMMANDS = new Set([
  "add", "commit", "mv", "rm", "merge", "rebase", "cherry-pick", "revert", "init", "switch", "apply", "am", "notes",
  "restore", "checkout", "tag", "branch", "stash", "config", "remote", "worktree", "reflog", "gc", "prune", "repack",
  "update-index", "update-ref", "symbolic-ref", "commit-tree", "write-tree", "read-tree", "format-patch", "bundle",
  "archive", "sparse-checkout", "maintenance", "replace", "mktag", "hash-object", "submodule", "bisect", "pack-refs",
]);

// Forms of each subcommand that throw away uncommitted changes, branch tips or history.
function discards(sub: string, args: string[], plain: string[], flag: (...names: string[]) => boolean): string | undefined {
  switch (sub) {
    case "reset":
      return flag("--hard", "--merge") ? "discards uncommitted changes" : undefined;
    case "checkout":
      if (flag("-f", "--force", "-B", "--ours", "--theirs", "-p", "--patch", "--overwrite-ignore")) return "discards working-tree changes (forced or resetting)";
      // Paths after `--`, `.`, a glob, or a tree-ish followed by paths overwrite the working tree.
      if (args.includes("--") || plain.includes(".") || plain.some((p) => /[*?]/.test(p)) || plain.length > 1) return "discards working-tree changes";
      return undefined;
    case "switch":
      return flag("-f", "--force", "--discard-changes", "-C", "--force-create") ? "discards changes or resets a branch" : undefined;
    case "restore":
      return flag("--staged") && !flag("--worktree", "-W") ? undefined : "discards working-tree changes";
    case "branch":
      return flag("-D", "-M", "-C") || (flag("-f", "--force") && (plain.length > 0 || flag("-d", "--delete", "-m", "--move", "-c", "--copy"))) ? "deletes, overwrites or resets a branch" : undefined;
    case "rm":
      return flag("-f", "--force") ? "deletes files with uncommitted changes" : undefined;
    case "clean":
      // clean.requireForce may be off: anything but a dry run deletes.
      return flag("-n", "--dry-run") ? undefined : "deletes untracked files";
    case "stash":
      return plain[0] === "drop" || plain[0] === "clear" ? "deletes stashed changes" : undefined;
    case "update-ref":
      return "moves or deletes a ref (a branch tip can be lost)";
    case "symbolic-ref":
      return flag("-d", "--delete") ? "deletes a ref" : undefined;
    case "reflog":
      return plain[0] === "expire" || plain[0] === "delete" ? "deletes reflog entries" : undefined;
    case "gc":
      return args.some((a) => isLong(a, "--prune") && a !== "--no-prune") ? "deletes unreachable objects" : undefined;
    case "prune":
    case "prune-packed":
      return flag("-n", "--dry-run") ? undefined : "deletes unreachable objects";
    case "filter-branch":
    case "filter-repo":
      return "rewrites history";
    case "worktree":
      return plain[0] === "remove" && flag("-f", "--force") ? "deletes a worktree with changes" : undefined;
    case "submodule":
      return (plain[0] === "deinit" || plain[0] === "update") && flag("-f", "--force", "--all") ? "discards submodule changes" : undefined;
    case "read-tree":
      return flag("--reset", "-u") ? "overwrites the index and working tree" : undefined;
    case "checkout-index":
      return flag("-f", "--force") ? "overwrites working-tree files" : undefined;
    case "tag":
      return flag("-f", "--force", "-d", "--delete") ? "overwrites or deletes a tag" : undefined;
    case "mv":
      return flag("-f", "--force") ? "moves over an existing file" : undefined;
    case "push":
      return flag("--force", "--force-with-lease", "--force-if-includes", "--mirror", "--delete", "--prune", "-f", "-d") || args.some((a) => /^\+/.test(a) || /^:/.test(a))
        ? "rewrites or deletes remote history" : undefined;
    default:
      return undefined;
  }
}

function subcommandVerdict(sub: string, args: string[], ctx: RuleContext): RiskVerdict {
  const all = ["git", sub, ...args];
  const flags = shortFlags(args);
  const flag = (...names: string[]) => names.some((n) => (n.startsWith("--") ? hasOption(args, [n]) : n.length === 2 ? flags.has(n[1]!) : args.includes(n)));
  const plain = args.filter((a) => !a.startsWith("-"));
  const lost = discards(sub, args, plain, flag);
  if (lost) return verdict("destructive", `${show(all)}: ${lost}`);
  switch (sub) {
    case "reset":
      return verdict("write", `${show(all)}: moves HEAD`);
    case "clean":
      return READ_ONLY;
    case "push":
      return verdict("network", `${show(all)}: uploads commits`);
    case "checkout":
    case "switch":
      return verdict("write", `${show(all)}: switches or updates files`);
    case "restore":
      return verdict("write", `${show(all)}: unstages files`);
    case "branch":
      return plain.length === 0 && !flag("-d", "-m", "-c", "-u", "--delete", "--move", "--copy", "--set-upstream-to", "--unset-upstream", "--edit-description")
        ? READ_ONLY : verdict("write", `${show(all)}: changes branches`);
    case "tag":
      return plain.length === 0 || flag("-l", "--list") ? READ_ONLY : verdict("write", `${show(all)}: changes tags`);
    case "stash":
      return plain[0] === "list" || plain[0] === "show" ? READ_ONLY : verdict("write", `${show(all)}: stashes or applies changes`);
    case "remote":
      if (plain.length === 0 || plain[0] === "get-url") return READ_ONLY;
      return plain[0] === "show" || plain[0] === "update" || plain[0] === "prune" ? verdict("network", `${show(all)}: contacts the remote`) : verdict("write", `${show(all)}: changes remotes`);
    case "config":
      if (flag("--get", "--get-all", "--get-regexp", "--list", "-l", "--get-urlmatch") || (plain.length === 1 && !flag("--unset", "--unset-all"))) return READ_ONLY;
      return worst(
        // ~/.gitconfig and /etc/gitconfig are outside the workspace.
        ...(flag("--global", "--system") ? [verdict("privileged", `${show(all)}: changes the user's or the system's git config`)] : []),
        verdict("unknown", `${show(all)}: persists configuration that later git commands obey (may name programs)`),
        // A command stored now runs later: it counts as if it ran (alias.x '!rm -rf src', core.pager …).
        ...(plain.length >= 2 ? [configOverride(`${plain[0]}=${plain[1]}`, ctx)] : []),
      );
    case "reflog":
      return READ_ONLY;
    case "worktree":
      return plain[0] === "list" ? READ_ONLY : verdict("write", `${show(all)}: changes worktrees`);
    case "rebase": {
      const exec = optionValue(args, ["-x", "--exec"]);
      if (exec !== undefined) return worst(verdict("write", `${show(all)}: rewrites commits`), ctx.script(exec, "git rebase --exec"));
      return flag("-i", "--interactive") ? verdict("execute", `${show(all)}: runs the sequence editor`) : verdict("write", `${show(all)}: rewrites commits`);
    }
    case "bisect":
      return plain[0] === "run" && plain.length > 1 ? worst(verdict("write", "git bisect run: checks out commits"), ctx.inner(args.slice(args.indexOf("run") + 1), "git bisect run")) : verdict("write", `${show(all)}: checks out commits`);
    case "submodule":
      if (plain[0] === "foreach") return ctx.script(args.slice(args.indexOf("foreach") + 1).filter((a) => a !== "--recursive" && a !== "-q" && a !== "--quiet").join(" "), "git submodule foreach");
      return plain[0] === "update" || plain[0] === "sync" ? verdict("network", `${show(all)}: fetches submodules`) : plain.length === 0 || plain[0] === "status" ? READ_ONLY : verdict("write", `${show(all)}: changes submodules`);
    case "maintenance":
      return ["start", "register", "unregister", "stop"].includes(plain[0] ?? "")
        ? verdict("privileged", `${show(all)}: schedules git maintenance with the system scheduler (cron, systemd, launchd)`)
        : verdict("write", `${show(all)}: repacks the repository`);
    case "difftool":
    case "mergetool":
    case "instaweb":
    case "web--browse":
      return verdict("execute", `git ${sub}: runs an external tool`);
    case "help":
      return flag("-a", "--all", "-g", "--guides", "--config") ? READ_ONLY : verdict("execute", `${show(all)}: opens man, info or a browser`);
    case "fsck":
      return flag("--lost-found") ? verdict("write", `${show(all)}: writes lost objects into .git/lost-found`) : READ_ONLY;
    case "cat-file":
      return flag("--filters", "--textconv") ? verdict("execute", `${show(all)}: runs the configured filters`) : READ_ONLY;
  }
  if (READ_ONLY_SUBCOMMANDS.has(sub)) {
    if (sub === "grep" && (flags.has("O") || flag("--open-files-in-pager"))) return verdict("execute", "git grep -O: opens files in a pager program");
    if (flag("--ext-diff", "--textconv")) return verdict("execute", `git ${sub} --ext-diff: runs an external diff program`);
    const out = optionValue(args, ["--output"]);
    if (sub !== "grep" && out !== undefined && !isDevSink(out)) return verdict("write", `git ${sub} --output ${out}: writes a file`);
    return READ_ONLY;
  }
  if (NETWORK_SUBCOMMANDS.has(sub)) {
    const pack = args.find((a) => isLong(a, "--upload-pack") || isLong(a, "--receive-pack") || isLong(a, "--exec") || a === "-u");
    if (pack) return verdict("execute", `git ${sub} ${pack}: runs a program in place of git-upload-pack`);
    return verdict("network", `${show(all)}: contacts a remote`);
  }
  if (WRITE_SUBCOMMANDS.has(sub)) return verdict("write", `${show(all)}: changes the repository`);
  return verdict("unknown", `git ${sub}: unknown subcommand (could be an alias)`);
}

// Keys whose value is a shell command git runs: the value is classified like a script.
const COMMAND_KEYS = /^(core\.(pager|sshcommand|editor|fsmonitor|askpass)|sequence\.editor|diff\.external|diff\.[^.]+\.(textconv|command)|merge\.[^.]+\.driver|filter\.[^.]+\.(clean|smudge|process)|pager\.[\w-]+|credential\.helper|gpg\.program|gpg\.[^.]+\.program|uploadpack\.packobjectshook)$/i;

function configOverride(setting: string, ctx: RuleContext): RiskVerdict {
  const eq = setting.indexOf("=");
  const key = eq === -1 ? setting : setting.slice(0, eq);
  const value = eq === -1 ? "" : setting.slice(eq + 1);
  if (HARMLESS_KEYS.test(key) || (/^pager\./i.test(key) && /^(true|false)?$/i.test(value))) return READ_ONLY;
  const runs = verdict("execute", `git -c ${setting}: config override can run programs`);
  if (/^alias\./i.test(key) && value.startsWith("!")) return worst(runs, ctx.script(value.slice(1), `git -c ${key}`));
  if (COMMAND_KEYS.test(key) && value) return worst(runs, ctx.script(value.replace(/^!/, ""), `git -c ${key}`));
  return runs;
}

const gitRule: ProgramRule = ({ argv }, ctx) => {
  const verdicts: RiskVerdict[] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-")) break;
    const value = GLOBAL_WITH_VALUE.has(arg) ? argv[++i] ?? "" : arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : "";
    const option = arg.split("=")[0]!;
    if (option === "-c") verdicts.push(configOverride(value, ctx));
    else if (option === "--config-env") verdicts.push(verdict("unknown", `git --config-env ${value}: config value taken from the environment, hidden from analysis`));
    else if (option === "--exec-path" && value) verdicts.push(verdict("execute", `git --exec-path=${value}: runs git commands from another directory`));
    else if (["-C", "--git-dir", "--work-tree", "--super-prefix"].includes(option) && value !== "." && value !== "") {
      verdicts.push(verdict("execute", `git ${option} ${value}: uses another repository, whose config can run programs`));
    } else if (option === "-p" || isLong(option, "--paginate")) verdicts.push(verdict("execute", `git ${option}: runs the pager`));
  }
  const sub = argv[i];
  if (sub === undefined) return worst(READ_ONLY, ...verdicts);
  return worst(subcommandVerdict(sub, argv.slice(i + 1), ctx), ...verdicts);
};

export const git: Family = { rules: { git: gitRule } };
