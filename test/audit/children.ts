// Test helper: start node children by pid, wait for their exit or a line, kill them by pid.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const FIXTURES = path.join(__dirname, "fixtures");
export const REPO = path.resolve(__dirname, "..", "..");

/** Process-level tests run the built writer: fail loudly when dist/ is missing. */
export function requireBuild(): void {
  if (!fs.existsSync(path.join(REPO, "dist", "audit", "index.js"))) throw new Error("dist/audit is missing: run `npx tsc -p .` first");
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-audit-proc-"));
}

export function node(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [path.join(FIXTURES, script), ...args], { stdio: ["ignore", "pipe", "pipe"] });
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
