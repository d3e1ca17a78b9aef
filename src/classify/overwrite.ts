// Where writing a file loses data: a command that replaces the whole content of
// a file that exists (cp/mv/install/ln -f onto it, tee, sort -o, curl -o, dd of=,
// truncate) is destructive; creating a file, appending, or keeping a backup is a write.
import path = require("node:path");
import { hasOption, isDevSink, optionValue, READ_ONLY, shortFlags, show, verdict, type RuleContext, type RiskVerdict } from "./risk";

/** A write of `file` as a whole: destructive when the file exists (its content is lost), else a write. */
export function replaces(file: string, ctx: RuleContext, what: string): RiskVerdict {
  if (isDevSink(file) || file === "-") return READ_ONLY;
  if (ctx.outside(file)) return verdict("privileged", `${what}: writes ${file}, outside the workspace`);
  if (ctx.exists(file) && !ctx.directory(file)) return verdict("destructive", `${what}: replaces the existing file ${file}`);
  return verdict("write", `${what}: writes ${file}`);
}

/** The operands of a cp-like argv (options and their values before `--` skipped). */
function operands(argv: readonly string[], withValue: readonly string[]): string[] {
  const out: string[] = [];
  let options = true;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (options && arg === "--") options = false;
    else if (options && withValue.includes(arg)) i++;
    else if (!options || !arg.startsWith("-") || arg === "-") out.push(arg);
  }
  return out;
}

// Options of cp, mv, install and ln that take the next word as their value.
const WITH_VALUE = ["-t", "-S", "-m", "-o", "-g", "--target-directory", "--suffix", "--mode", "--owner", "--group"];

/**
 * The files cp, mv, install and ln (with -f) would replace: the destination
 * itself, or SOURCE's name inside a destination directory (`-t DIR` too).
 * None with -n/--no-clobber, --update=none or a backup (-b, --backup).
 */
export function copyTargets(name: string, argv: readonly string[], ctx: RuleContext): string[] {
  const flags = shortFlags(argv);
  // -n is --no-clobber for cp and mv only (ln -n does not follow a link to a directory).
  if ((flags.has("n") && name !== "ln") || flags.has("b") || hasOption(argv, ["--no-clobber", "--backup"]) || /^none/.test(optionValue(argv, ["--update"]) ?? "")) return [];
  if (name === "ln" && !flags.has("f") && !hasOption(argv, ["--force"])) return [];
  const files = operands(argv, WITH_VALUE);
  const dir = optionValue(argv, ["-t", "--target-directory"]);
  if (dir !== undefined) return files.map((f) => path.posix.join(dir, path.posix.basename(f)));
  if (files.length < 2 && !(name === "ln" && files.length === 1)) return [];
  const sources = files.length === 1 ? files : files.slice(0, -1);
  const dest = files.length === 1 ? "." : files[files.length - 1]!;
  if (ctx.directory(dest) && !flags.has("T") && !hasOption(argv, ["--no-target-directory"])) return sources.map((f) => path.posix.join(dest, path.posix.basename(f)));
  return [dest];
}

/** Destructive when a copy, move, link or install replaces an existing file (see {@link copyTargets}). */
export function copyVerdict(name: string, argv: readonly string[], ctx: RuleContext): RiskVerdict | undefined {
  const lost = copyTargets(name, argv, ctx).filter((t) => ctx.exists(t) && !ctx.directory(t));
  return lost.length > 0 ? verdict("destructive", `${show(argv)}: replaces the existing file ${lost.join(" ")}`) : undefined;
}
