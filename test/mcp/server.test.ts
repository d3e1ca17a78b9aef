// `safe-sh mcp` driven by the SDK's own client over stdio: runs, refuses,
// asks through elicitation, bounds output, cancels, reports progress, and the
// audit trail shows it all tagged with the client's name.
import * as fs from "node:fs";
import * as path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

const BIN = path.resolve(__dirname, "../../bin/safe-sh");

type Answer = "once" | "session" | "deny" | undefined;

describe.runIf(canConfine())("safe-sh mcp over stdio", () => {
  let root: string;
  let workspace: string;
  let client: Client;
  let asked: string[];

  /** Connects a client; with `answer`, it supports elicitation and gives that answer. */
  async function connect(answer?: Answer): Promise<Client> {
    const c = new Client({ name: "vitest-client", version: "1.0.0" }, { capabilities: answer ? { elicitation: {} } : {} });
    if (answer) {
      c.setRequestHandler(ElicitRequestSchema, async (request) => {
        asked.push(request.params.message);
        return answer === "deny" ? { action: "decline" } : { action: "accept", content: { answer } };
      });
    }
    const env = { ...(process.env as Record<string, string>), SAFE_SH_SYSTEM_CONFIG_DIR: path.join(root, "etc"), SAFE_SH_CONFIG_DIR: path.join(root, "user"), SAFE_SH_STATE_DIR: path.join(root, "state"), SAFE_SH_AUDIT_LOG: path.join(root, "audit.jsonl") };
    await c.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, "mcp", "--workspace", workspace], env, stderr: "pipe" }));
    return c;
  }

  const records = () => fs.readFileSync(path.join(root, "audit.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  const shell = async (args: Record<string, unknown>, c = client) => (await c.callTool({ name: "shell", arguments: args })) as { isError?: boolean; structuredContent: Record<string, unknown>; content: { text: string }[] };

  beforeEach(() => {
    root = tempDir("mcp");
    workspace = path.join(root, "ws");
    for (const dir of ["etc", "user", "ws"]) fs.mkdirSync(path.join(root, dir));
    asked = [];
  });
  afterEach(async () => {
    await client?.close();
    removeTempDirs();
  });

  it("lists the shell and explain tools", async () => {
    client = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["explain", "shell"]);
  });

  it("runs a command and returns status, output, risk and decision; the trail is tagged with the client and a session id", async () => {
    client = await connect();
    fs.writeFileSync(path.join(workspace, "greeting"), "hello\n");
    const result = await shell({ command: "cat greeting; exit 3" });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ ran: true, exitStatus: 3, stdout: "hello\n", risk: "read-only", decision: "allow" });
    const argv = await shell({ argv: ["printf", "%s", "a b"] });
    expect(argv.structuredContent).toMatchObject({ exitStatus: 0, stdout: "a b" });
    const trail = records();
    expect(trail.map((r) => r.event)).toEqual(["decision", "approval", "exec", "exit", "decision", "approval", "exec", "exit"]);
    expect(new Set(trail.map((r) => r.client))).toEqual(new Set(["vitest-client"]));
    expect(new Set(trail.map((r) => r.session)).size).toBe(1);
  });

  it("refuses what needs approval when the client can't be asked, with the hint, and nothing runs", async () => {
    client = await connect();
    fs.mkdirSync(path.join(workspace, "src"));
    const result = await shell({ command: "rm -rf src" });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ ran: false, exitStatus: 126, risk: "destructive", decision: "ask" });
    expect(result.structuredContent.hint).toBeTruthy();
    expect(fs.existsSync(path.join(workspace, "src"))).toBe(true);
  });

  it("asks through elicitation: a yes runs the command, a no refuses it", async () => {
    client = await connect("once");
    fs.mkdirSync(path.join(workspace, "src"));
    const yes = await shell({ command: "rm -rf src" });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("rm -rf src");
    expect(yes.structuredContent).toMatchObject({ ran: true, exitStatus: 0, approver: "human" });
    expect(fs.existsSync(path.join(workspace, "src"))).toBe(false);
    await client.close();

    client = await connect("deny");
    fs.mkdirSync(path.join(workspace, "src"));
    const no = await shell({ command: "rm -rf src" });
    expect(no.structuredContent).toMatchObject({ ran: false, exitStatus: 126, approver: "human" });
    expect(fs.existsSync(path.join(workspace, "src"))).toBe(true);
    expect(records().some((r) => r.event === "approval" && r.approver === "human" && r.verdict === "deny")).toBe(true);
  });

  it("treats sandbox/network arguments as escalations, refused when nobody approves", async () => {
    client = await connect();
    const result = await shell({ argv: ["true"], network: "full" });
    expect(result.structuredContent).toMatchObject({ ran: false, exitStatus: 126 });
  });

  it("bounds the output and says it was truncated", async () => {
    client = await connect();
    const result = await shell({ command: "head -c 200000 /dev/zero | tr '\\0' x" });
    expect(result.structuredContent.truncated).toEqual({ stdout: true, stderr: false });
    expect(String(result.structuredContent.stdout)).toMatch(/output truncated: the first 65536 bytes kept, 134464 more left out/);
  });

  it("keeps workdir inside the workspace", async () => {
    client = await connect();
    fs.mkdirSync(path.join(workspace, "sub"));
    expect((await shell({ command: "pwd", workdir: "sub" })).structuredContent.stdout).toBe(`${path.join(workspace, "sub")}\n`);
    const outside = await shell({ command: "pwd", workdir: ".." });
    expect(outside.isError).toBe(true);
    expect(outside.content[0]!.text).toContain("outside the workspace");
  });

  it("cancellation kills the command's tree and the trail records the kill", async () => {
    client = await connect();
    const controller = new AbortController();
    const started = Date.now();
    const call = client.callTool({ name: "shell", arguments: { command: "sleep 30 | sleep 30" } }, undefined, { signal: controller.signal });
    // Cancel once the command runs (the trail says so), however slow the machine is to get there.
    for (let i = 0; i < 200 && !(fs.existsSync(path.join(root, "audit.jsonl")) && records().some((r) => r.event === "exec")); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(call).rejects.toThrow();
    // The server records the exit once the tree is gone.
    for (let i = 0; i < 100 && !records().some((r) => r.event === "exit"); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(records().find((r) => r.event === "exit")).toMatchObject({ signal: "SIGKILL" });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("sends progress notifications while a long command runs", async () => {
    client = await connect();
    const progress: string[] = [];
    const result = await client.callTool({ name: "shell", arguments: { command: "sleep 2.5; echo done" } }, undefined, { onprogress: (p) => progress.push(p.message ?? ""), timeout: 20_000 });
    expect((result as { structuredContent: Record<string, unknown> }).structuredContent.stdout).toBe("done\n");
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toMatch(/running for \d+s/);
  });

  it("returns safe-sh's own notices with the call (a network command under network none)", async () => {
    client = await connect();
    const result = await shell({ command: "curl -sS --max-time 2 http://example.invalid/" });
    expect(result.structuredContent.notices).toEqual([expect.stringMatching(/reaches the network, but network is "none"/)]);
    expect(result.content[0]!.text).toContain("reaches the network");
    const quiet = await shell({ command: "true" });
    expect(quiet.structuredContent.notices).toEqual([]);
  });

  it("explains without running", async () => {
    client = await connect();
    const result = (await client.callTool({ name: "explain", arguments: { command: "rm -rf src" } })) as { structuredContent: Record<string, unknown> };
    expect(result.structuredContent).toMatchObject({ risk: "destructive", decision: "ask" });
    expect(fs.existsSync(path.join(root, "audit.jsonl"))).toBe(false);
  });
});
