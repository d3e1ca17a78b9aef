// Session: the gated pipeline as a library user gets it: refusals are results,
// the trail (wherever it lives) is unreadable inside, records carry what was
// enforced, output is bounded, aborting kills the tree, on-failure keeps the
// command's own status and ignores a login profile's noise.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Session, type Policy } from "../../dist/index.js";
import { defaultDraft } from "../../dist/policy/layers.js";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

function policy(changes: Partial<Policy> = {}): Policy {
  return { ...defaultDraft("/nonexistent/safe-sh/config.toml").policy, ...changes };
}

function records(file: string): Record<string, unknown>[] {
  return fs.readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.runIf(canConfine())("Session", () => {
  let workspace: string;
  let state: string;
  let notices: string[];
  const open = (changes: Partial<Policy> = {}, extra: Partial<ConstructorParameters<typeof Session>[0]> = {}) =>
    new Session({ workspace, policy: policy(changes), audit: { path: path.join(state, "trail", "audit.jsonl") }, env: { ...process.env, SAFE_SH_STATE_DIR: state }, notify: (line) => notices.push(line), ...extra });

  beforeEach(() => {
    workspace = tempDir("session-ws");
    state = tempDir("session-state");
    notices = [];
  });
  afterEach(removeTempDirs);

  it("runs a command, and the trail holds its decision, approval, exec with enforced facts, and exit", async () => {
    const session = open({}, { client: "test-client" });
    const result = await session.run("echo hi");
    await session.close();
    expect(result).toMatchObject({ status: 0, ran: true, stdout: "hi\n", risk: "read-only", decision: "allow" });
    expect(result.enforced.some((fact) => fact.startsWith("landlock ABI"))).toBe(true);
    const trail = records(session.audit.path);
    expect(trail.map((r) => r.event)).toEqual(["decision", "approval", "exec", "exit"]);
    expect(trail[2]!.enforced).toContain("seccomp");
    expect(trail.every((r) => r.client === "test-client" && r.session === session.audit.sessionId)).toBe(true);
  });

  it("keeps a custom audit path unreadable inside, while the workspace stays readable", async () => {
    const session = open();
    fs.writeFileSync(path.join(workspace, "mine"), "visible\n");
    await session.run("true");
    const result = await session.run(`cat mine; cat '${session.audit.path}'`);
    await session.close();
    expect(result.stdout).toBe("visible\n");
    expect(result.stderr).toMatch(/Permission denied|No such file/);
    expect(result.status).not.toBe(0);
  });

  it("refuses what needs approval when nobody can be asked: status 126, a hint, nothing run", async () => {
    fs.mkdirSync(path.join(workspace, "src"));
    const session = open();
    const result = await session.run("rm -rf src");
    await session.close();
    expect(result).toMatchObject({ status: 126, ran: false, risk: "destructive", decision: "ask" });
    expect(result.hint).toBeTruthy();
    expect(fs.existsSync(path.join(workspace, "src"))).toBe(true);
  });

  it("asks the caller's own approver (as MCP elicitation does) and runs on its yes", async () => {
    fs.mkdirSync(path.join(workspace, "src"));
    const asked: string[] = [];
    const ask = async (request: { command: string }) => {
      asked.push(request.command);
      return "once" as const;
    };
    const session = open({}, { ask });
    const result = await session.run("rm -rf src");
    await session.close();
    expect(asked).toEqual(["rm -rf src"]);
    expect(result).toMatchObject({ status: 0, ran: true });
    expect(fs.existsSync(path.join(workspace, "src"))).toBe(false);
  });

  it("bounds captured output and says it was truncated", async () => {
    const session = open();
    const result = await session.run("head -c 5000 /dev/zero | tr '\\0' x", { maxOutputBytes: 100 });
    await session.close();
    expect(result.truncated.stdout).toBe(true);
    expect(result.stdout.startsWith("x".repeat(100))).toBe(true);
    expect(result.stdout).toMatch(/output truncated.*4900 more/);
  });

  it("kills the whole tree when aborted", async () => {
    const session = open();
    const controller = new AbortController();
    const pending = session.run("sleep 30 | sleep 30; echo never", { onStart: () => setTimeout(() => controller.abort(), 200), signal: controller.signal });
    const result = await pending;
    await session.close();
    expect(result.cancelled).toBe(true);
    expect(result.signal).toBe("SIGKILL");
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it("on-failure: a refused re-run keeps the command's own status, and the write stays refused", async () => {
    const outside = tempDir("session-outside");
    const session = open({ approval: "on-failure" });
    const result = await session.run(`echo x > '${outside}/f'; exit 3`);
    await session.close();
    expect(result.status).toBe(3);
    expect(notices.join("\n")).toMatch(/re-run refused/);
    expect(fs.existsSync(path.join(outside, "f"))).toBe(false);
  });

  it("on-failure: a login profile's 'Permission denied' is not taken for a sandbox denial", async () => {
    const home = tempDir("session-home");
    fs.writeFileSync(path.join(home, ".bash_profile"), "echo 'profile: Permission denied' >&2\n");
    const session = open({ approval: "on-failure" }, { env: { ...process.env, HOME: home, SAFE_SH_STATE_DIR: state } });
    const result = await session.run("exit 4", { login: true });
    await session.close();
    expect(result.status).toBe(4);
    expect(result.stderr).toBe("profile: Permission denied\n");
    expect(notices.join("\n")).not.toMatch(/re-run/);
  });

  it("names the protected path and the way around it when a write to it is refused", async () => {
    fs.mkdirSync(path.join(workspace, ".git"));
    fs.writeFileSync(path.join(workspace, ".git", "config"), "[core]\n");
    const session = open();
    const result = await session.run("echo x >> .git/config");
    await session.close();
    expect(result.status).not.toBe(0);
    expect(notices.join("\n")).toMatch(/\.git\/config is protected.*git -c/);
  });

  it("says before running that a network command will fail under network none", async () => {
    const session = open();
    await session.run("curl -sS --max-time 2 http://example.invalid/");
    await session.close();
    expect(notices.join("\n")).toMatch(/reaches the network, but network is "none".*\[network\]/);
  });

  it.runIf(process.getuid?.() === 0)("warns before running when a root caller's workspace belongs to another uid (unwritable inside)", async () => {
    fs.chownSync(workspace, 65534, 65534);
    const session = open();
    const result = await session.run("touch made-here");
    await session.close();
    expect(notices.join("\n")).toMatch(/will not be able to write the workspace/);
    expect(result.status).not.toBe(0);
    expect(fs.existsSync(path.join(workspace, "made-here"))).toBe(false);
  });

  it("does not warn about a workspace the caller owns", async () => {
    const session = open();
    await session.run("touch made-here");
    await session.close();
    expect(notices.join("\n")).not.toMatch(/able to write the workspace/);
    expect(fs.existsSync(path.join(workspace, "made-here"))).toBe(true);
  });

  it("leaves out a writable root that doesn't exist with one warning instead of failing", async () => {
    const session = open({ writableRoots: [path.join(workspace, "..", "no-such-root-for-session-test")] });
    const result = await session.run("echo ok");
    await session.close();
    expect(result).toMatchObject({ status: 0, stdout: "ok\n" });
    expect(notices.filter((line) => line.includes("does not exist"))).toHaveLength(1);
  });
});
