// A confined run behaves like a plain one to its caller: exit statuses and
// signals propagate, stdin passes, TMPDIR is private, secrets stay out, timeouts kill the tree.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafeShell } from "../../src/run";
import { canConfine } from "../helpers/gate";
import { confined, isGone, removeTempDirs, tempDir, tryConfined, waitGone } from "../helpers/sandbox";

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

  it("gets a private, writable TMPDIR whose files are gone after the run", async () => {
    const name = `scratch-${process.pid}-${Date.now()}`;
    const run = await confined(workspace, `echo "$TMPDIR" && echo scratch > "$TMPDIR/${name}" && cat "$TMPDIR/${name}"`);
    expect(run).toMatchObject({ exitCode: 0, stderr: "" });
    const [tmpdir, content] = run.stdout.split("\n");
    expect(content).toBe("scratch");
    expect(path.isAbsolute(tmpdir!)).toBe(true);
    expect(fs.existsSync(path.join(tmpdir!, name))).toBe(false);
  });

  it("does not see the host's temporary files", async () => {
    const hostFile = path.join(tempDir("host-tmp", os.tmpdir()), "host-only");
    fs.writeFileSync(hostFile, "host");
    expect(await tryConfined(workspace, ["read", hostFile])).toMatchObject({ result: "ENOENT", exitCode: 1 });
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
    // Pids inside the sandbox are namespace-local, so the host finds the two
    // sleeps by a duration no other process uses; the pid files prove they started.
    const token = `${100 + (process.pid % 1000)}.${Date.now() % 1_000_000}`;
    const script = `sleep ${token} & echo $! > bg.pid; sh -c 'echo $$ > fg.pid; exec sleep ${token}'; wait`;
    const seen = new Set<number>();
    const watcher = setInterval(() => sleepsWith(token).forEach((pid) => seen.add(pid)), 10);
    const started = Date.now();
    const run = await confined(workspace, script, { timeoutMs: 300 });
    clearInterval(watcher);
    expect(run.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const file of ["bg.pid", "fg.pid"]) expect(fs.readFileSync(path.join(workspace, file), "utf8")).toMatch(/^\d+\n$/);
    expect(seen.size).toBe(2);
    expect(await waitGone([...seen])).toEqual([]);
    expect(sleepsWith(token)).toEqual([]);
  });
});

describe.runIf(canConfine())("SafeShell.start()", () => {
  let workspace: string;
  beforeEach(() => {
    workspace = tempDir("ws");
  });
  afterEach(removeTempDirs);

  it("streams stdout and stderr as they come and settles with the exit status, confined", async () => {
    const chunks: string[] = [];
    const run = new SafeShell().start("echo out; echo err >&2; touch /etc/safe-sh-start-probe; exit 3", {
      workspace,
      onData: (stream, chunk) => chunks.push(`${stream}:${chunk.toString()}`),
    });
    expect(run.pid).toBeGreaterThan(0);
    expect(await run.closed).toEqual({ exitCode: 3, signal: null });
    expect(chunks.join("")).toContain("stdout:out\n");
    expect(chunks.filter((c) => c.startsWith("stderr:")).join("")).toMatch(/err\n[\s\S]*Read-only file system/);
    expect(fs.existsSync("/etc/safe-sh-start-probe")).toBe(false);
    expect(run.kill("SIGTERM")).toBe(false); // exited: nothing left to signal
  });

  it("passes a signal on to the command, which reports it", async () => {
    const run = new SafeShell().start("echo ready; exec sleep 30", { workspace, onData: () => run.kill("SIGTERM") });
    expect(await run.closed).toEqual({ exitCode: null, signal: "SIGTERM" });
  });
});

/** Host pids of live `sleep DURATION` processes. */
function sleepsWith(duration: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8") === `sleep\0${duration}\0` && !isGone(Number(entry))) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}
