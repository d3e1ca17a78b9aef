// Compiles the try probe (try.c) once per source change and returns its path.
// Builds into the git-ignored test/helpers/bin/, or a per-user dir under
// TEST_TMP_BASE (visible inside the sandbox) when the checkout is read-only.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { TEST_TMP_BASE } from "./paths";

const SOURCE = path.join(__dirname, "try.c");

function writableDir(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function upToDate(binary: string): boolean {
  try {
    return fs.statSync(binary).mtimeMs >= fs.statSync(SOURCE).mtimeMs;
  } catch {
    return false;
  }
}

let built: string | undefined;

/** Absolute path of the compiled probe; compiles it with cc when missing or stale. */
export function tryBinary(): string {
  if (built) return built;
  const inRepo = path.join(__dirname, "bin", "try");
  if (upToDate(inRepo)) return (built = inRepo);
  const dir = writableDir(path.dirname(inRepo)) ? path.dirname(inRepo) : path.join(TEST_TMP_BASE, `safe-sh-try-${process.getuid?.() ?? "x"}`);
  fs.mkdirSync(dir, { recursive: true });
  const binary = path.join(dir, "try");
  if (upToDate(binary)) return (built = binary);
  // Parallel test files may build at once: compile aside, then rename atomically.
  const partial = `${binary}.${process.pid}.tmp`;
  execFileSync("cc", ["-O2", "-Wall", "-Wextra", "-Werror", "-o", partial, SOURCE], { stdio: "pipe" });
  fs.renameSync(partial, binary);
  return (built = binary);
}
