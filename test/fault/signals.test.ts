// Signals to the CLI: Ctrl-C on a terminal reaches the command once; a
// SIGINT sent to the CLI alone is passed on; a storm of signals ends in a
// bounded time with a signal status and no stack trace.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

const FIXTURES = path.resolve(__dirname, "fixtures");
const CLI = path.resolve("bin/safe-sh");
let ws: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  ws = tempDir("signals");
  fs.copyFileSync(path.join(FIXTURES, "count-sigint.py"), path.join(ws, "count-sigint.py"));
  const conf = tempDir("signals-conf");
  fs.writeFileSync(path.join(conf, "config.toml"), 'approval = "on-failure"\n');
  env = { ...process.env, SAFE_SH_CONFIG_DIR: conf, SAFE_SH_STATE_DIR: conf, SAFE_SH_AUDIT_LOG: path.join(conf, "audit.jsonl") };
});
afterEach(removeTempDirs);

describe.runIf(canConfine())("signals", () => {
  it("Ctrl-C on the terminal reaches the command once, not twice", () => {
    const run = spawnSync("python3", [path.join(FIXTURES, "ctrl-c.py"), CLI, "--", "python3", "count-sigint.py"], { cwd: ws, env, encoding: "utf8", timeout: 60_000 });
    expect(run.stdout).toMatch(/SIGINT x1\b/);
  }, 70_000);

  it("a SIGINT sent to the CLI alone (no terminal) is passed on to the command", async () => {
    const cli = spawn(CLI, ["--", "python3", "count-sigint.py"], { cwd: ws, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    cli.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
      if (out.includes("ready") && !out.includes("sent")) {
        out += "sent";
        cli.kill("SIGINT");
      }
    });
    await new Promise((resolve) => cli.once("close", resolve));
    expect(out).toMatch(/SIGINT x1\b/);
  }, 60_000);

  it("a storm of 300 signals ends within bounds, with a signal status and no stack trace", async () => {
    const cli = spawn(CLI, ["-c", "echo ready; sleep 30"], { cwd: ws, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let err = "";
    cli.stderr.on("data", (chunk: Buffer) => (err += chunk));
    await new Promise<void>((resolve) => cli.stdout.once("data", () => resolve()));
    for (let i = 0; i < 300; i++) {
      try {
        process.kill(cli.pid!, i % 2 === 0 ? "SIGWINCH" : "SIGUSR1");
      } catch {
        break; // exited
      }
    }
    const started = Date.now();
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => cli.once("close", (c, s) => resolve([c, s])));
    expect(Date.now() - started).toBeLessThan(20_000);
    // The command died of a forwarded signal (USR1 kills sleep): the CLI says so as 128+N.
    expect(signal === null && code !== null && code > 128).toBe(true);
    expect(err).not.toMatch(/internal error|\n\s+at /);
  }, 60_000);
});

function alive(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
}

describe("a signal while the reviewer program decides", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("%s to safe-sh kills the reviewer and what it started, then ends safe-sh", async (signal) => {
    const conf = path.dirname(env.SAFE_SH_AUDIT_LOG!);
    const pids = path.join(ws, "reviewer.pids");
    // The reviewer starts a grandchild and never answers.
    fs.writeFileSync(path.join(conf, "reviewer.sh"), `sleep 300 & echo $$ $! > ${pids}.tmp; mv ${pids}.tmp ${pids}; sleep 300\n`);
    fs.writeFileSync(path.join(conf, "config.toml"), `[approval]\nmode = "on-request"\n[approval.reviewer]\ncommand = ["/bin/sh", "${path.join(conf, "reviewer.sh")}"]\ntimeout_ms = 600000\n`);
    const cli = spawn(CLI, ["-c", "rm -r build"], { cwd: ws, env, stdio: ["ignore", "pipe", "pipe"] });
    const closed = new Promise<NodeJS.Signals | null>((resolve) => cli.once("close", (_code, sig) => resolve(sig)));
    for (let i = 0; i < 300 && !fs.existsSync(pids); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const [reviewer, grandchild] = fs.readFileSync(pids, "utf8").trim().split(" ").map(Number);
    expect(alive(reviewer!) && alive(grandchild!)).toBe(true); // the other side: both ran
    cli.kill(signal);
    expect(await closed).toBe(signal);
    for (let i = 0; i < 50 && (alive(reviewer!) || alive(grandchild!)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect([alive(reviewer!), alive(grandchild!)]).toEqual([false, false]);
  }, 60_000);
});
