// Compiles the test helpers (the try probe, try.c; the cgroup discovery
// driver, cgroup-probe.cc) once per source change and returns their paths.
// Builds into the git-ignored test/helpers/bin/, or a per-user dir under
// TEST_TMP_BASE (visible inside the sandbox) when the checkout is read-only.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { TEST_TMP_BASE } from "./paths";

const NATIVE = path.join(__dirname, "..", "..", "native");

function writableDir(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function upToDate(binary: string, sources: string[]): boolean {
  try {
    const built = fs.statSync(binary).mtimeMs;
    return sources.every((source) => built >= fs.statSync(source).mtimeMs);
  } catch {
    return false;
  }
}

const built = new Map<string, string>();

/** Absolute path of `name` built from `sources` by the command `compile` gives; rebuilt when stale. */
function helper(name: string, sources: string[], compile: (output: string) => [string, string[]]): string {
  const known = built.get(name);
  if (known) return known;
  const inRepo = path.join(__dirname, "bin", name);
  const dir = upToDate(inRepo, sources) || writableDir(path.dirname(inRepo)) ? path.dirname(inRepo) : path.join(TEST_TMP_BASE, `safe-sh-try-${process.getuid?.() ?? "x"}`);
  fs.mkdirSync(dir, { recursive: true });
  const binary = path.join(dir, name);
  if (!upToDate(binary, sources)) {
    // Parallel test files may build at once: compile aside, then rename atomically.
    const partial = `${binary}.${process.pid}.tmp`;
    const [compiler, args] = compile(partial);
    execFileSync(compiler, args, { stdio: "pipe" });
    fs.renameSync(partial, binary);
  }
  built.set(name, binary);
  return binary;
}

/** Absolute path of the compiled probe; compiles it with cc when missing or stale. */
export function tryBinary(): string {
  const source = path.join(__dirname, "try.c");
  return helper("try", [source], (output) => ["cc", ["-O2", "-Wall", "-Wextra", "-Werror", "-o", output, source]]);
}

/** The launcher's cgroup discovery run on fixture files (cgroup-probe.cc). */
export function cgroupProbeBinary(): string {
  const sources = [path.join(__dirname, "cgroup-probe.cc"), path.join(NATIVE, "linux", "cgroup_discover.cc"), path.join(NATIVE, "linux", "cgroup_discover.h"), path.join(NATIVE, "common", "json.h")];
  return helper("cgroup-probe", sources, (output) => ["c++", ["-std=c++17", "-O1", "-Wall", "-Wextra", "-Werror", "-o", output, sources[0]!, sources[1]!]]);
}
