// What toolchains need from a plan: a throwaway writable layer over $HOME,
// package caches that persist per workspace, and filtered copies of config
// files that hold secrets (docs/toolchains.md explains why each is safe).
import fs = require("node:fs");
import path = require("node:path");
import { FILTERED_CONFIGS } from "../secrets/config-filter";
import { sha256Hex } from "./native";

/** SOURCE seen at TARGET inside the sandbox. */
export interface Bind {
  source: string;
  target: string;
}

/** Package caches kept across runs, relative to $HOME. */
export const PACKAGE_CACHES: ReadonlyArray<{ name: string; path: string }> = [
  { name: "npm", path: ".npm" },
  { name: "pnpm", path: ".local/share/pnpm/store" },
  { name: "pnpm-metadata", path: ".cache/pnpm" },
  { name: "yarn", path: ".cache/yarn" },
  { name: "yarn-berry", path: ".yarn/berry/cache" },
  { name: "pip", path: ".cache/pip" },
  { name: "cargo-registry", path: ".cargo/registry" },
  { name: "cargo-git", path: ".cargo/git" },
  { name: "go-mod", path: "go/pkg/mod" },
  { name: "go-build", path: ".cache/go-build" },
  { name: "node-gyp", path: ".cache/node-gyp" },
];

/** Largest config file filtered; a bigger one stays masked. */
const MAX_CONFIG_BYTES = 1 << 20;

export interface ToolchainPlan {
  /** The real home, covered by a throwaway overlay; absent when there is none to cover. */
  homeLayer?: string;
  binds: Bind[];
  /** Config files (relative to $HOME) bound filtered instead of masked. */
  filtered: string[];
  /** The run's filtered copies (files in the cache root's filtered/), removed when the run ends. */
  filteredCopies?: string[];
}

/** safe-sh's cache directory: $SAFE_SH_CACHE_DIR, else $XDG_CACHE_HOME/safe-sh, else ~/.cache/safe-sh. */
export function cacheRoot(env: NodeJS.ProcessEnv, home: string): string {
  if (env.SAFE_SH_CACHE_DIR) return env.SAFE_SH_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(home, ".cache");
  return path.join(xdg, "safe-sh");
}

/** The caches of one workspace: what a run plants there, it could plant in the workspace itself. */
export function workspaceCacheDir(root: string, workspace: string): string {
  return path.join(root, "workspaces", sha256Hex(workspace).slice(0, 24));
}

/** The file in a workspace's cache dir that names the workspace. */
const OWNER_FILE = "workspace";

/**
 * Removes the caches of workspaces that no longer exist (temporary checkouts,
 * test dirs). Run when a workspace gets its caches, so once per workspace.
 */
function pruneCaches(root: string): void {
  const parent = path.join(root, "workspaces");
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const dir = path.join(parent, entry);
    try {
      if (fs.existsSync(fs.readFileSync(path.join(dir, OWNER_FILE), "utf8"))) continue;
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // unreadable, or read-only files (Go's module cache): left for the user
    }
  }
}

/** The workspace's cache dir, made (after pruning the caches of vanished workspaces) on its first run. */
function workspaceCaches(root: string, workspace: string): string {
  const dir = workspaceCacheDir(root, workspace);
  if (fs.existsSync(path.join(dir, OWNER_FILE))) return dir;
  pruneCaches(root);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, OWNER_FILE), workspace, { mode: 0o600 });
  return dir;
}

function realDir(dir: string | undefined): string | undefined {
  if (!dir || !path.isAbsolute(dir)) return undefined;
  try {
    const real = fs.realpathSync.native(dir);
    return fs.statSync(real).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** What lstat(2) found at a path: a symlink, nothing (or no access), or anything else. */
type Found = "symlink" | "missing" | "present";

function lstatKind(file: string): Found {
  try {
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    return !stat ? "missing" : stat.isSymbolicLink() ? "symlink" : "present";
  } catch {
    return "missing";
  }
}

/**
 * True when a component of `rel` below `base` is a symlink: mount(2) would
 * follow it out of $HOME. `seen` keeps each prefix's answer for one plan (the
 * caches share .cache, .cargo and .local).
 */
function crossesSymlink(base: string, rel: string, seen: Map<string, Found>): boolean {
  let current = base;
  for (const part of rel.split("/")) {
    current = path.join(current, part);
    const found = seen.get(current) ?? seen.set(current, lstatKind(current)).get(current)!;
    // Missing from here on: created inside the layer.
    if (found !== "present") return found === "symlink";
  }
  return false;
}

const within = (child: string, parent: string) => child === parent || parent === "/" || child.startsWith(`${parent}/`);

/** A regular file's text (followed through symlinks), or undefined for anything else or a huge one. */
function readConfig(file: string): { real: string; text: string } | undefined {
  let fd: number | undefined;
  try {
    const real = fs.realpathSync.native(file);
    // O_NONBLOCK: a FIFO planted at the path must not hang the run.
    fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_CONFIG_BYTES) return undefined;
    return { real, text: fs.readFileSync(fd, "utf8") };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Removes a run's filtered copies; one already gone is fine. Throws other fs errors. */
export function removeFilteredCopies(files: readonly string[] | undefined): void {
  for (const file of files ?? []) {
    try {
      fs.unlinkSync(file); // not rmSync: that loads Node's rimraf even for a file
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

let copiesMade = 0;

/**
 * A new file in `dir` holding `text`, readable by the owner only. Plain files
 * beside each other, not a directory per run: a directory's rmdir(2) cost
 * ~1.4 ms of every run. O_EXCL, so a name left by a process that died with
 * the same pid is skipped, never reused.
 */
function writeCopy(dir: string, text: string): string {
  for (;;) {
    const file = path.join(dir, `run-${process.pid}-${++copiesMade}`);
    try {
      fs.writeFileSync(file, text, { mode: 0o600, flag: "wx" });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

function filteredBinds(home: string, writeRoots: readonly string[], root: string): Pick<ToolchainPlan, "binds" | "filtered" | "filteredCopies"> {
  const copies: Array<{ name: string; target: string; text: string }> = [];
  for (const { path: name, filter } of FILTERED_CONFIGS) {
    const found = readConfig(path.join(home, name));
    // Inside a writable root a bind would make the file unwritable and undeletable: leave it be.
    if (!found || writeRoots.some((dir) => within(found.real, dir))) continue;
    const text = filter(found.text);
    if (text !== undefined) copies.push({ name, target: found.real, text });
  }
  if (copies.length === 0) return { binds: [], filtered: [] };
  const filteredCopies: string[] = [];
  try {
    const dir = path.join(root, "filtered");
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const binds = copies.map((copy) => {
      const source = writeCopy(dir, copy.text);
      filteredCopies.push(source);
      return { source, target: copy.target };
    });
    return { binds, filtered: copies.map((copy) => copy.name), filteredCopies };
  } catch {
    // No place for the copies: the files stay masked, as before filtering existed.
    removeFilteredCopies(filteredCopies);
    return { binds: [], filtered: [] };
  }
}

/** Each package cache of the workspace over the tool's path in the home layer. */
function cacheBinds(home: string, root: string, workspace: string): Bind[] {
  let caches: string;
  try {
    caches = workspaceCaches(root, workspace);
  } catch {
    return []; // safe-sh's cache dir can't be written: the layer alone still works
  }
  const binds: Bind[] = [];
  const seen = new Map<string, Found>();
  for (const cache of PACKAGE_CACHES) {
    if (crossesSymlink(home, cache.path, seen)) continue;
    const source = path.join(caches, cache.name);
    try {
      // One stat on every run after the first, instead of mkdir's EEXIST and a stat.
      if (!fs.existsSync(source)) fs.mkdirSync(source, { recursive: true, mode: 0o700 });
    } catch {
      continue; // the tool writes into the throwaway layer instead
    }
    binds.push({ source, target: path.join(home, cache.path) });
  }
  return binds;
}

/**
 * Plans the home layer, the caches and the filtered configs for a run with
 * namespaces. No home layer when $HOME is missing, `/`, under the private
 * /tmp, has `,` `:` or `\` in its path, or is already inside a writable
 * root (it is then written for real). `caches` false (read-only runs, whose
 * writes must not outlive them) keeps the layer without persistent caches.
 */
export function planToolchain(env: NodeJS.ProcessEnv, workspace: string, writeRoots: readonly string[], homeLayer: boolean, caches = true): ToolchainPlan {
  const home = realDir(env.HOME);
  if (!home || home === "/") return { binds: [], filtered: [] };
  const root = cacheRoot(env, home);
  const filtered = filteredBinds(home, writeRoots, root);
  // overlayfs takes its layers as one option string: separators in the path can't be passed.
  const layered = homeLayer && !/[,:\\\n]/.test(home) && !within(home, "/tmp") && !writeRoots.some((dir) => within(home, dir));
  if (!layered) return filtered;
  const binds = caches ? cacheBinds(home, root, workspace) : [];
  return { ...filtered, homeLayer: home, binds: [...binds, ...filtered.binds] };
}
