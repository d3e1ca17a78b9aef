// Test helper: start node children by pid, wait for their exit or a line, kill them by pid.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const FIXTURES = path.join(__dirname, "fixtures");
export const REPO = path.resolve(__dirname, "..", "..");

let snapshot: string | undefined;

/**
 * Process-level tests run the built writer from a private copy of bin/,
 * dist/, package.json and binding.gyp (build/ and node_modules/ linked): a `tsc` run elsewhere rewrites
 * dist/ in place and would otherwise break children mid-test. Fails loudly
 * when dist/ is missing or does not load.
 */
export function requireBuild(): void {
  if (snapshot) return;
  if (!fs.existsSync(path.join(REPO, "dist", "audit", "index.js"))) throw new Error("dist/audit is missing: run `npx tsc -p .` first");
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-audit-build-"));
  // binding.gyp marks the package root, where dist/ looks for build/ (the addon:
  // flock, sha256); without it children ran unlocked and raced the writers.
  for (const entry of ["bin", "dist", "package.json", "binding.gyp"]) fs.cpSync(path.join(REPO, entry), path.join(root, entry), { recursive: true });
  fs.symlinkSync(path.join(REPO, "build"), path.join(root, "build"));
  // dist/ finds the addon through node-gyp-build, resolved from the package's node_modules.
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(root, "node_modules"));
  if (typeof require(path.join(root, "dist", "audit")).openAudit !== "function") throw new Error("dist/audit does not load: run `npx tsc -p .`");
  snapshot = root;
}

/** The root of the built tree children run from (see requireBuild). */
export function builtRoot(): string {
  if (!snapshot) throw new Error("call requireBuild() in beforeAll first");
  return snapshot;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-audit-proc-"));
}

export function node(script: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [path.join(FIXTURES, script), ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, ...env, SAFE_SH_TEST_ROOT: builtRoot() },
  });
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode, stderr });
    else child.once("exit", (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** Resolves with stdout once it contains `text`; rejects after `timeoutMs`. */
export function waitFor(child: ChildProcess, text: string, timeoutMs = 10_000): Promise<string> {
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms; got: ${out}`)), timeoutMs);
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
  });
}
