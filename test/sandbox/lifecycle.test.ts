// A confined run behaves like a plain one to its caller: exit statuses and
// signals propagate, stdin passes, TMPDIR is private, secrets stay out, timeouts kill the tree.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canConfine } from "../helpers/gate";
import { confined, removeTempDirs, tempDir, waitGone } from "../helpers/sandbox";

describe.runIf(canConfine())("a confined run", () => {
  let workspace: string;
  beforeEach(() => {
    workspace = tempDir("ws");
  });
  afterEach(removeTempDirs);

  it("returns the command's exit status", async () => {
    expect(await confined(workspace, "exit 3")).toMatchObject({ exitCode: 3, signal: null, timedOut: false });
  });

  it("reports the signal that killed the command", async () => {
    expect(await confined(workspace, "kill -TERM $$")).toMatchObject({ exitCode: null, signal: "SIGTERM" });
  });

  it("passes stdin through", async () => {
    expect(await confined(workspace, "cat", { input: "line one\nline two\n" })).toMatchObject({ exitCode: 0, stdout: "line one\nline two\n" });
  });

  it("gets a private TMPDIR that is writable during the run and removed afterwards", async () => {
    const run = await confined(workspace, 'echo "$TMPDIR" && echo scratch > "$TMPDIR/scratch" && cat "$TMPDIR/scratch"');
    expect(run).toMatchObject({ exitCode: 0, stderr: "" });
    const [tmpdir, content] = run.stdout.split("\n");
    expect(content).toBe("scratch");
    expect(path.dirname(tmpdir!)).toBe(os.tmpdir());
    expect(tmpdir).not.toBe(os.tmpdir());
    expect(fs.existsSync(tmpdir!)).toBe(false);
  });

  it("does not see secrets from the environment", async () => {
    const env = { ...process.env, GITHUB_TOKEN: "ghp_not_a_real_token", AWS_SECRET_ACCESS_KEY: "not-real" };
    const run = await confined(workspace, 'echo "token=${GITHUB_TOKEN-unset} aws=${AWS_SECRET_ACCESS_KEY-unset}"', { env });
    expect(run.stdout).toBe("token=unset aws=unset\n");
  });

  it("sees a secret it was explicitly given with keepEnv", async () => {
    const env = { ...process.env, GITHUB_TOKEN: "ghp_not_a_real_token" };
    const run = await confined(workspace, 'echo "token=${GITHUB_TOKEN-unset}"', { env, keepEnv: ["GITHUB_TOKEN"] });
    expect(run.stdout).toBe("token=ghp_not_a_real_token\n");
  });

  it("is killed with its whole process tree when the timeout elapses", async () => {
    // The second sleep runs in the foreground: its pid is written by the shell that becomes it.
    const script = "sleep 100 & echo $! > bg.pid; sh -c 'echo $$ > fg.pid; exec sleep 100'; wait";
    const started = Date.now();
    const run = await confined(workspace, script, { timeoutMs: 300 });
    expect(run.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    const pids = ["bg.pid", "fg.pid"].map((file) => Number(fs.readFileSync(path.join(workspace, file), "utf8")));
    expect(pids.every((pid) => pid > 1)).toBe(true);
    expect(await waitGone(pids)).toEqual([]);
  });
});
