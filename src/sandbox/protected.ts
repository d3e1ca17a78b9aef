// Which paths inside writable roots stay read-only (protected), and which
// credential paths can be neither read nor listed (masks). Defaults follow
// docs/policy.md; both lists are configurable.
import fs = require("node:fs");
import os = require("node:os");
import path = require("node:path");
import { SafeShError } from "../errors";

/** Relative to each writable root: files something outside the sandbox later executes or trusts. */
export const DEFAULT_PROTECTED = [
  ".git/hooks", ".git/config", ".safe-sh",
  ".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile",
  ".zshrc", ".zprofile", ".zshenv", ".zlogin", ".zlogout",
  ".vscode", ".idea", ".mcp.json",
  ".claude", ".codex", ".gemini", ".cursor",
];

/** Relative to $HOME unless absolute: credentials and their stores. */
export const DEFAULT_MASKED = [
  ".ssh", ".aws", ".gnupg", ".config/gh", ".netrc", ".git-credentials", ".docker/config.json",
  ".kube", ".pypirc", ".npmrc", ".config/gcloud", ".azure",
  ".local/share/keyrings", ".password-store",
  ".mozilla", ".config/google-chrome", ".config/chromium", ".config/BraveSoftware",
  ".local/state/safe-sh",
  "/var/run/docker.sock", "/run/docker.sock",
];

export interface ProtectionPlan {
  /** Existing paths to re-bind read-only. */
  protect: string[];
  /** Missing paths that must still be missing after the run. */
  sweep: string[];
  /** Paths to make unreadable. */
  mask: string[];
}

/**
 * The git directories of a repository root: `.git` itself, or the target of
 * a `gitdir:` file (worktrees, submodules) plus its `commondir`, where hooks
 * and config really live.
 */
export function gitDirs(root: string): string[] {
  const dotGit = path.join(root, ".git");
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dotGit);
  } catch {
    return [];
  }
  if (stat.isDirectory()) return [dotGit];
  if (!stat.isFile()) return [];
  const match = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotGit, "utf8"));
  if (!match) return [];
  const gitdir = path.resolve(root, match[1]!);
  const dirs = [gitdir];
  try {
    const common = fs.readFileSync(path.join(gitdir, "commondir"), "utf8").trim();
    if (common) dirs.push(path.resolve(gitdir, common));
  } catch {
    // not a worktree: no commondir
  }
  return dirs;
}

function candidates(root: string, names: readonly string[]): string[] {
  const found: string[] = [];
  let dirs: string[] | undefined; // looked up once per root, on the first .git/ name
  for (const name of names) {
    if (name.startsWith(".git/")) {
      const rest = name.slice(".git/".length);
      dirs ??= gitDirs(root);
      for (const dir of dirs.length > 0 ? dirs : [path.join(root, ".git")]) found.push(path.join(dir, rest));
    } else {
      found.push(path.join(root, name));
    }
  }
  return found;
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

/**
 * Splits protected candidates under each writable root into existing paths
 * (re-bound read-only) and missing ones (swept after the run), and resolves
 * the masks, leaving out any that would hide a path in `visible`. Throws
 * ERR_SAFESH_WORKSPACE when a protected path is a symlink: a mount would
 * follow it and protect the wrong file; ERR_SAFESH_USAGE when `home` is not
 * absolute (HOME="") and a mask is relative to it.
 */
export function planProtection(
  writeRoots: readonly string[],
  protectedNames: readonly string[],
  masked: readonly string[],
  home: string = os.homedir(),
  visible: readonly string[] = writeRoots,
): ProtectionPlan {
  const protect = new Set<string>();
  const sweep = new Set<string>();
  // Most candidates share a parent (the root, its .git): resolve each once.
  const parents = new Map<string, string>();
  for (const root of writeRoots) {
    for (const candidate of candidates(root, protectedNames)) {
      // A missing parent (no .git yet) is fine: the sweep covers the path.
      const dir = path.dirname(candidate);
      const parent = parents.get(dir) ?? parents.set(dir, realOrSelf(dir)).get(dir)!;
      const full = path.join(parent, path.basename(candidate));
      let stat: fs.Stats | undefined;
      try {
        stat = fs.lstatSync(full);
      } catch {
        stat = undefined;
      }
      if (stat?.isSymbolicLink()) {
        throw new SafeShError("ERR_SAFESH_WORKSPACE", `protected path ${full} is a symlink`, `replace the symlink with the file itself, or remove ${path.relative(root, candidate)} from the protected list`);
      }
      (stat ? protect : sweep).add(full);
    }
  }
  // Exact duplicates go (the CLI adds the audit directory, a default mask
  // too). Paths under another mask stay: the launcher skips a mask that is a
  // symlink, and then the paths beneath it are masked at the target.
  if (!path.isAbsolute(home) && masked.some((entry) => !path.isAbsolute(entry))) {
    // Fail closed: a relative home would mask the wrong paths (or none) and leave ~/.ssh readable.
    throw new SafeShError("ERR_SAFESH_USAGE", `HOME is ${JSON.stringify(home.slice(0, 200))}: the credentials under it (~/.ssh, …) can't be masked`, "set HOME to your home directory (an absolute path)");
  }
  const mask = [...new Set(masked.map((entry) => (path.isAbsolute(entry) ? entry : path.join(home, entry))))]
    // A mask over the workspace, the working directory or a write root would hide them.
    .filter((entry) => !visible.some((root) => root === entry || root.startsWith(`${entry}/`)));
  return { protect: [...protect], sweep: [...sweep], mask };
}
