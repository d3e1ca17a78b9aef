// git: global options that run programs (-c, --exec-path, …), read-only
// subcommands, network ones, and the ones that discard work (reset --hard, …).
import { READ_ONLY, shortFlags, show, verdict, worst, type Family, type Rule, type RuleContext, type Verdict } from "./risk";

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

function subcommandVerdict(sub: string, args: string[], ctx: RuleContext): Verdict {
  const all = ["git", sub, ...args];
  const has = (...flags: string[]) => args.some((a) => flags.includes(a));
  const flags = shortFlags(args);
  const plain = args.filter((a) => !a.startsWith("-"));
  switch (sub) {
    case "reset":
      return has("--hard") ? verdict("destructive", `${show(all)}: discards uncommitted changes`) : verdict("write", `${show(all)}: moves HEAD`);
    case "clean":
      return (flags.has("f") || has("--force")) && !(flags.has("n") || has("--dry-run"))
        ? verdict("destructive", `${show(all)}: deletes untracked files`)
        : READ_ONLY;
    case "push": {
      const forced = has("--force", "--force-with-lease", "--mirror", "--delete", "--prune") || flags.has("f") || flags.has("d")
        || args.some((a) => a.startsWith("--force-with-lease=") || /^\+/.test(a) || /^:/.test(a));
      return forced ? verdict("destructive", `${show(all)}: rewrites or deletes remote history`) : verdict("network", `${show(all)}: uploads commits`);
    }
    case "checkout":
      if (has("--", ".") || flags.has("f") || has("--force")) return verdict("destructive", `${show(all)}: discards working-tree changes`);
      return verdict("write", `${show(all)}: switches or updates files`);
    case "restore":
      return has("--staged") && !has("--worktree") ? verdict("write", `${show(all)}: unstages files`) : verdict("destructive", `${show(all)}: discards working-tree changes`);
    case "branch":
      if (flags.has("D") || (flags.has("d") && (flags.has("f") || has("--force")))) return verdict("destructive", `${show(all)}: deletes an unmerged branch`);
      return plain.length === 0 && !["d", "m", "M", "c", "C", "u"].some((f) => flags.has(f)) && !has("--delete", "--move", "--copy", "--set-upstream-to", "--unset-upstream", "--edit-description")
        ? READ_ONLY : verdict("write", `${show(all)}: changes branches`);
    case "tag":
      return plain.length === 0 || flags.has("l") || has("--list") ? READ_ONLY : verdict("write", `${show(all)}: changes tags`);
    case "stash":
      if (plain[0] === "drop" || plain[0] === "clear") return verdict("destructive", `${show(all)}: deletes stashed changes`);
      return plain[0] === "list" || plain[0] === "show" ? READ_ONLY : verdict("write", `${show(all)}: stashes or applies changes`);
    case "remote":
      if (plain.length === 0 || plain[0] === "get-url") return READ_ONLY;
      return plain[0] === "show" || plain[0] === "update" || plain[0] === "prune" ? verdict("network", `${show(all)}: contacts the remote`) : verdict("write", `${show(all)}: changes remotes`);
    case "config":
      if (has("--get", "--get-all", "--get-regexp", "--list", "-l", "--get-urlmatch") || (plain.length === 1 && !has("--unset", "--unset-all"))) return READ_ONLY;
      return verdict("unknown", `${show(all)}: persists configuration that later git commands obey (may name programs)`);
    case "reflog":
      return plain[0] === "expire" || plain[0] === "delete" ? verdict("destructive", `${show(all)}: deletes reflog entries`) : READ_ONLY;
    case "worktree":
      return plain[0] === "list" ? READ_ONLY : plain[0] === "remove" && (flags.has("f") || has("--force")) ? verdict("destructive", `${show(all)}: deletes a worktree with changes`) : verdict("write", `${show(all)}: changes worktrees`);
    case "filter-branch":
    case "filter-repo":
      return verdict("destructive", `${show(all)}: rewrites history (runs filter commands)`);
    case "rebase": {
      const exec = args.findIndex((a) => a === "-x" || a === "--exec");
      return exec !== -1 && args[exec + 1] !== undefined ? worst(verdict("write", `${show(all)}: rewrites commits`), ctx.script(args[exec + 1]!, "git rebase --exec"))
        : has("-i", "--interactive") ? verdict("execute", `${show(all)}: runs the sequence editor`) : verdict("write", `${show(all)}: rewrites commits`);
    }
    case "bisect":
      return plain[0] === "run" && plain.length > 1 ? worst(verdict("write", "git bisect run: checks out commits"), ctx.inner(args.slice(args.indexOf("run") + 1), "git bisect run")) : verdict("write", `${show(all)}: checks out commits`);
    case "submodule":
      if (plain[0] === "foreach") return ctx.script(args.slice(args.indexOf("foreach") + 1).join(" "), "git submodule foreach");
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
    case "update-ref":
      return flags.has("d") ? verdict("destructive", `${show(all)}: deletes a ref`) : verdict("write", `${show(all)}: moves a ref`);
    case "gc":
    case "prune":
      return args.some((a) => /^--prune(=now)?$/.test(a)) || sub === "prune" ? verdict("destructive", `${show(all)}: deletes unreachable objects`) : verdict("write", `${show(all)}: repacks the repository`);
  }
  if (READ_ONLY_SUBCOMMANDS.has(sub)) {
    if (sub === "grep" && (flags.has("O") || args.some((a) => a.startsWith("--open-files-in-pager")))) return verdict("execute", "git grep -O: opens files in a pager program");
    if (args.some((a) => a === "--ext-diff" || a.startsWith("--textconv"))) return verdict("execute", `git ${sub} --ext-diff: runs an external diff program`);
    const out = args.find((a) => a.startsWith("--output"));
    return out ? verdict("write", `git ${sub} ${out}: writes a file`) : READ_ONLY;
  }
  if (NETWORK_SUBCOMMANDS.has(sub)) {
    const pack = args.find((a) => /^--(upload|receive)-pack|^-u$/.test(a));
    if (pack) return verdict("execute", `git ${sub} ${pack}: runs a program in place of git-upload-pack`);
    return verdict("network", `${show(all)}: contacts a remote`);
  }
  if (WRITE_SUBCOMMANDS.has(sub)) return verdict("write", `${show(all)}: changes the repository`);
  return verdict("unknown", `git ${sub}: unknown subcommand (could be an alias)`);
}

// Keys whose value is a shell command git runs: the value is classified like a script.
const COMMAND_KEYS = /^(core\.(pager|sshcommand|editor|fsmonitor|askpass)|sequence\.editor|diff\.external|diff\.[^.]+\.(textconv|command)|merge\.[^.]+\.driver|filter\.[^.]+\.(clean|smudge|process)|pager\.[\w-]+|credential\.helper|gpg\.program|gpg\.[^.]+\.program|uploadpack\.packobjectshook)$/i;

function configOverride(setting: string, ctx: RuleContext): Verdict {
  const eq = setting.indexOf("=");
  const key = eq === -1 ? setting : setting.slice(0, eq);
  const value = eq === -1 ? "" : setting.slice(eq + 1);
  if (HARMLESS_KEYS.test(key) || (/^pager\./i.test(key) && /^(true|false)?$/i.test(value))) return READ_ONLY;
  const runs = verdict("execute", `git -c ${setting}: config override can run programs`);
  if (/^alias\./i.test(key) && value.startsWith("!")) return worst(runs, ctx.script(value.slice(1), `git -c ${key}`));
  if (COMMAND_KEYS.test(key) && value) return worst(runs, ctx.script(value.replace(/^!/, ""), `git -c ${key}`));
  return runs;
}

const gitRule: Rule = ({ argv }, ctx) => {
  const verdicts: Verdict[] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-")) break;
    const value = GLOBAL_WITH_VALUE.has(arg) ? argv[++i] ?? "" : arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : "";
    const option = arg.split("=")[0]!;
    if (option === "-c") verdicts.push(configOverride(value, ctx));
    else if (option === "--config-env") verdicts.push(verdict("unknown", `git --config-env ${value}: config value taken from the environment, hidden from analysis`));
    else if (option === "--exec-path" && value) verdicts.push(verdict("execute", `git --exec-path=${value}: runs git commands from another directory`));
    else if (["-C", "--git-dir", "--work-tree"].includes(option) && (value.startsWith("/") || value.split("/").includes(".."))) {
      verdicts.push(verdict("execute", `git ${option} ${value}: uses another repository, whose config can run programs`));
    } else if (["-p", "--paginate"].includes(option)) verdicts.push(verdict("execute", `git ${option}: runs the pager`));
  }
  const sub = argv[i];
  if (sub === undefined) return worst(READ_ONLY, ...verdicts);
  return worst(subcommandVerdict(sub, argv.slice(i + 1), ctx), ...verdicts);
};

export const git: Family = { rules: { git: gitRule } };
