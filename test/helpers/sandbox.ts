// Shared fixtures for the confinement tests: temp dirs owned by the test user,
// the try probe run confined (through SafeShell) or unconfined, and waiting on pids.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { SafeShell, type RunOptions, type RunResult } from "../../dist/index.js";
import { tryBinary } from "./build";
import { TEST_TMP_BASE } from "./paths";

export { TEST_TMP_BASE };

const made: string[] = [];

/** A fresh directory under TEST_TMP_BASE owned by the test user, removed by removeTempDirs. */
export function tempDir(label: string, base = TEST_TMP_BASE): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(base, `safe-sh-test-${label}-`)));
  made.push(dir);
  return dir;
}

/** Call from afterEach. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export interface TryOutcome {
  /** The probe's verdict: "OK" or an errno name such as "EPERM". */
  result: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

function outcome(run: { stdout: string; exitCode: number | null; signal: NodeJS.Signals | null }): TryOutcome {
  const lines = run.stdout.trim().split(/\r?\n/);
  return { result: lines[lines.length - 1] ?? "", exitCode: run.exitCode, signal: run.signal };
}

/** Runs `try ARGS...` confined by SafeShell with the workspace (and options) given. */
export async function tryConfined(workspace: string, args: string[], options: RunOptions = {}): Promise<TryOutcome> {
  const run = await new SafeShell().run([tryBinary(), ...args], { workspace, timeoutMs: 10_000, ...options });
  return outcome(run);
}

/** Runs `try ARGS...` without any confinement: proves the probe itself can succeed. */
export function tryUnconfined(args: string[]): TryOutcome {
  const run = spawnSync(tryBinary(), args, { encoding: "utf8", timeout: 10_000 });
  return outcome({ stdout: run.stdout ?? "", exitCode: run.status, signal: run.signal });
}

/** Runs a bash script confined in the workspace. */
export function confined(workspace: string, script: string | string[], options: RunOptions = {}): Promise<RunResult> {
  return new SafeShell().run(script, { workspace, timeoutMs: 20_000, ...options });
}

/** True once pid no longer exists (or is a zombie nobody reaped yet). */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return true;
    throw error;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** Polls until every pid is gone or the deadline passes; returns the pids still alive. */
export async function waitGone(pids: number[], timeoutMs = 3_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter((pid) => !isGone(pid));
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
