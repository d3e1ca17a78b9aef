// Output floods with slow readers: start()'s onData can pause a stream (the
// command then blocks on its writes), and the CLI passes a 400 MiB stderr
// flood to a reader that waits without growing its own memory.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SafeShell } from "../../dist/index.js";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

afterEach(removeTempDirs);
const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(canConfine())("back-pressure", () => {
  it("onData returning false stops delivery until resume(); every byte arrives afterwards", async () => {
    let received = 0;
    let paused = false;
    const run = new SafeShell().start(["head", "-c", String(8 * MiB), "/dev/zero"], {
      workspace: tempDir("bp"),
      onData: (_stream, chunk) => {
        received += chunk.length;
        if (received >= MiB && !paused) {
          paused = true;
          return false;
        }
        return true;
      },
    });
    await sleep(500);
    const atPause = received;
    await sleep(500);
    expect(received).toBe(atPause); // nothing read while paused; the pipe (and head) wait
    expect(received).toBeLessThan(2 * MiB);
    run.resume("stdout");
    expect(await run.closed).toEqual({ exitCode: 0, signal: null });
    expect(received).toBe(8 * MiB);
  });

  it("the CLI tees a 400 MiB stderr flood to a reader that waits, without buffering it", async () => {
    const conf = tempDir("bp-conf");
    fs.writeFileSync(path.join(conf, "config.toml"), 'approval = "on-failure"\n');
    const cli = spawn(path.resolve("bin/safe-sh"), ["-c", "head -c 419430400 /dev/zero >&2; echo done"], {
      cwd: tempDir("bp-ws"),
      env: { ...process.env, SAFE_SH_CONFIG_DIR: conf, SAFE_SH_STATE_DIR: conf, SAFE_SH_AUDIT_LOG: path.join(conf, "audit.jsonl") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    cli.stderr.pause();
    await sleep(3000); // the reader is slow: nothing read for 3 s
    const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${cli.pid}/status`, "utf8"))![1]) * 1024;
    expect(rss).toBeLessThan(200 * MiB);
    let bytes = 0;
    cli.stderr.on("data", (chunk: Buffer) => (bytes += chunk.length));
    let out = "";
    cli.stdout.on("data", (chunk: Buffer) => (out += chunk));
    cli.stderr.resume();
    const status = await new Promise((resolve) => cli.once("close", resolve));
    expect(status).toBe(0);
    expect(bytes).toBe(400 * MiB);
    expect(out).toBe("done\n");
  }, 120_000);
});
