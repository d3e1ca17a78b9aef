// Random argv bytes (anything but NUL, as the kernel allows) through the
// CLI: every run ends in a bounded time with a documented status and no
// stack trace, whatever the bytes.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

const CLI = path.resolve("bin/safe-sh");
const RUN_BYTES = path.resolve(__dirname, "fixtures", "run-bytes.py");
let ws: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  ws = tempDir("argv-bytes");
  const conf = tempDir("argv-bytes-conf");
  fs.writeFileSync(path.join(conf, "config.toml"), 'approval = "on-failure"\n');
  env = { ...process.env, SAFE_SH_CONFIG_DIR: conf, SAFE_SH_STATE_DIR: conf, SAFE_SH_AUDIT_LOG: path.join(conf, "audit.jsonl") };
});
afterEach(removeTempDirs);

/** A small deterministic PRNG (mulberry32): a failure names its seed and can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomWord(next: () => number): Buffer {
  const length = 1 + Math.floor(next() * 12);
  return Buffer.from(Array.from({ length }, () => 1 + Math.floor(next() * 255)));
}

/** Runs the words through python (which passes bytes as they are); every safe-sh run is a fresh process. */
function runBytes(words: (string | Buffer)[]): Promise<{ status: number; stdout: Buffer; stderr: string }> {
  const hex = words.map((word) => Buffer.from(word).toString("hex"));
  return new Promise((resolve, reject) => {
    // Async: a blocked test worker misses vitest's own heartbeats.
    execFile("python3", [RUN_BYTES, ...hex], { cwd: ws, env, encoding: "utf8", timeout: 90_000 }, (error, stdout) => {
      if (error) return reject(error);
      const [status, out, err] = stdout.trim().split("\n");
      resolve({ status: Number(status), stdout: Buffer.from(out ?? "", "hex"), stderr: Buffer.from(err ?? "", "hex").toString("utf8") });
    });
  });
}

describe("random argv bytes", () => {
  it("explain classifies random argvs without a stack trace", async () => {
    const next = random(1);
    for (let i = 0; i < 6; i++) {
      const argv = Array.from({ length: 1 + Math.floor(next() * 4) }, () => randomWord(next));
      const run = await runBytes([CLI, "explain", "--", ...argv]);
      expect([0, 125], `run ${i}: ${run.stderr}`).toContain(run.status);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  }, 120_000);
});

describe.runIf(canConfine())("random argv bytes, run confined", () => {
  it("random argvs as a command end with a command status, not a safe-sh failure", async () => {
    const next = random(42);
    for (let i = 0; i < 6; i++) {
      const argv = Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomWord(next));
      const run = await runBytes([CLI, "--", ...argv]);
      // 127: no such program (the usual outcome); 126: not executable; anything else is the program's own.
      expect(run.status, `run ${i}: ${run.stderr}`).not.toBe(125);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  }, 120_000);
});
