// Done-when, end to end through bin/safe-sh: an on-request session sends risky
// commands to `safe-sh review`, which asks a local fake of each API; they run
// or are refused as the fake model answers, every failure path refuses, and
// the audit trail and `safe-sh audit stats` show it.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { canConfine } from "../helpers/gate";
import { TEST_TMP_BASE } from "../helpers/paths";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startFakeModel } = require("../../eval/fake-model.js");

const SAFE_SH = path.join(__dirname, "..", "..", "bin", "safe-sh");
const APIS = ["openai", "anthropic"] as const;
const PATHS = { openai: "/v1/chat/completions", anthropic: "/v1/messages" };

let fake: Awaited<ReturnType<typeof startFakeModel>>;
let base: string;
let workspace: string;
let env: NodeJS.ProcessEnv;

/** Runs bin/safe-sh without a controlling terminal (setsid), so only the reviewer can approve. */
function safeSh(args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SAFE_SH, ...args], { cwd: workspace, env: { ...env, ...extraEnv }, detached: true, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    child.stdin?.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function configure(api: (typeof APIS)[number], extra = ""): void {
  const toml = `[approval]
mode = "on-request"

[approval.reviewer]
command = ${JSON.stringify([process.execPath, SAFE_SH, "review"])}
timeout_ms = 20000

[approval.reviewer.model]
api = "${api}"
model = "fake-${api}"
url = "${fake.url}${PATHS[api]}"
timeout_ms = 1500
${extra}`;
  fs.writeFileSync(path.join(env.SAFE_SH_CONFIG_DIR!, "config.toml"), toml);
}

function records(): Record<string, unknown>[] {
  return fs.readFileSync(env.SAFE_SH_AUDIT_LOG!, "utf8").trim().split("\n").map((line) => JSON.parse(line));
}

beforeAll(async () => {
  fake = await startFakeModel();
  base = fs.realpathSync(fs.mkdtempSync(path.join(TEST_TMP_BASE, "safe-sh-review-e2e-")));
  workspace = path.join(base, "ws");
  fs.mkdirSync(path.join(workspace, "src"), { recursive: true });
  fs.writeFileSync(path.join(workspace, "src", "main.c"), "int main(void) { return 0; }\n");
  for (const dir of ["etc", "user", "state"]) fs.mkdirSync(path.join(base, dir));
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SAFE_SH_SYSTEM_CONFIG_DIR: path.join(base, "etc"),
    SAFE_SH_CONFIG_DIR: path.join(base, "user"),
    SAFE_SH_STATE_DIR: path.join(base, "state"),
    SAFE_SH_AUDIT_LOG: path.join(base, "state", "audit.jsonl"),
  };
});
afterAll(async () => {
  await fake.close();
  fs.rmSync(base, { recursive: true, force: true });
});
beforeEach(() => {
  fake.behaviour = "ok";
});

// An approved command runs confined: these need the default sandbox (CI: always).
describe.runIf(canConfine()).each(APIS)("on-request session reviewed through the %s API", (api) => {
  beforeAll(() => configure(api));

  it("runs a deletion of build output the model approves, and reuses the verdict from the cache", async () => {
    for (const round of [1, 2]) {
      fs.mkdirSync(path.join(workspace, "build"), { recursive: true });
      const run = await safeSh(["-c", "rm -rf build"]);
      expect(run.stderr, `round ${round}`).toBe("");
      expect(run.code).toBe(0);
      expect(fs.existsSync(path.join(workspace, "build"))).toBe(false);
    }
    const reviews = records().filter((r) => r.event === "review" && r.model === `fake-${api}`);
    expect(reviews.map((r) => [r.verdict, r.cached])).toEqual([["allow", false], ["allow", true]]);
    expect(fake.problems).toEqual([]);
  });

  it("refuses a deletion of sources the model denies, with the model's reason", async () => {
    const run = await safeSh(["-c", "rm -rf src"]);
    expect(run.code).toBe(126);
    expect(run.stderr).toMatch(/refused: destroys work: rm -rf src/);
    expect(fs.existsSync(path.join(workspace, "src", "main.c"))).toBe(true);
  });

  it.each([
    ["http-500", /HTTP 5\d\d/],
    ["hang", /no answer .* within 1500 ms/],
    ["refusal", /refused/],
    ["bad-verdict", /unknown verdict/],
    ["not-json", /not JSON/],
  ])("refuses what the model would approve when it fails: %s", async (behaviour, reason) => {
    fake.behaviour = behaviour;
    fs.mkdirSync(path.join(workspace, "dist"), { recursive: true });
    const run = await safeSh(["-c", "rm -rf dist"]);
    expect(run.code).toBe(126);
    expect(run.stderr).toMatch(reason);
    expect(fs.existsSync(path.join(workspace, "dist"))).toBe(true);
  });

  it("takes the verdict from a streamed answer (stream = true)", async () => {
    configure(api, "stream = true\n");
    try {
      fs.mkdirSync(path.join(workspace, "out"), { recursive: true });
      const run = await safeSh(["-c", "rm -rf out"]);
      expect(run.code).toBe(0);
      expect(fs.existsSync(path.join(workspace, "out"))).toBe(false);
      expect(fake.calls.at(-1).body.stream).toBe(true);
    } finally {
      configure(api);
    }
  });
});

describe.runIf(canConfine())("the trail and audit stats", () => {
  it("hold every review with model, latency, verdict and reason, and the chain verifies", async () => {
    const reviews = records().filter((r) => r.event === "review");
    expect(reviews.length).toBeGreaterThanOrEqual(18);
    for (const review of reviews) {
      expect(review).toMatchObject({ api: expect.any(String), model: expect.stringMatching(/^fake-/), verdict: expect.any(String), reason: expect.any(String), latencyMs: expect.any(Number) });
    }
    expect((await safeSh(["audit", "verify"])).code).toBe(0);
  });

  it("counts the reviewer's approvals and denials, its failures, and both models", async () => {
    const run = await safeSh(["audit", "stats", "--json"]);
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout);
    expect(stats.approvers.reviewer).toEqual({ allow: 6, deny: 12, escalate: 0 });
    expect(stats.reviewer.failures).toEqual({ http: 2, timeout: 2, refusal: 2, "invalid-output": 4 });
    expect(Object.keys(stats.reviewer.models).sort()).toEqual(["anthropic:fake-anthropic", "openai:fake-openai"]);
    expect(stats.decisions.byRisk.destructive.ask).toBe(18);
    const table = await safeSh(["audit", "stats"]);
    expect(table.stdout).toMatch(/Approvers:\n.*\n\s+reviewer\s+6\s+12\s+0/);
  });
});

const request = (command: string) =>
  JSON.stringify({ version: 1, command, commands: [{ argv: command.split(" "), wrappers: [], risk: "destructive", reasons: [] }], cwd: "/w", risk: "destructive", reasons: [], decisionReasons: [], mode: "on-request", grant: { sandbox: "workspace-write", network: "none", writableRoots: [] }, escalation: false });

describe("safe-sh review as a program", () => {
  it("prints the prompt for a request without asking anything, and denies a malformed request", async () => {
    const calls = fake.calls.length;
    const prompt = await safeSh(["review", "--prompt"], request("rm -rf build"));
    expect(prompt.code).toBe(0);
    const { system, user } = JSON.parse(prompt.stdout);
    expect(system).toMatch(/untrusted/);
    expect(user).toMatch(/"command": "rm -rf build"/);
    expect(fake.calls.length).toBe(calls);
    const bad = await safeSh(["review"], "{not json");
    expect(JSON.parse(bad.stdout)).toEqual({ verdict: "deny", reason: "reviewer: the request is not JSON" });
    expect((await safeSh(["review", "--bogus"], "")).code).toBe(125);
  });

  const keyring = { SAFE_SH_KEYRING: "keyutils" };
  const name = `review-e2e-${process.pid}`;
  const key = `sk-e2e-${process.pid}-0123456789abcdef`;
  // keyutils needs no daemon; with SAFE_SH_REQUIRE_SANDBOX=1 (CI) a missing one fails instead of skipping.
  const keyringWorks =
    process.env.SAFE_SH_REQUIRE_SANDBOX === "1" ||
    !spawnSync(process.execPath, [SAFE_SH, "secret", "list"], { env: { ...process.env, ...keyring }, encoding: "utf8" }).stderr.includes("ERR_SAFESH_KEYRING_UNAVAILABLE");

  it.runIf(keyringWorks)("sends the keyring's key only in the auth header; an echoed key reaches neither the verdict nor the trail", async () => {
    expect((await safeSh(["secret", "set", name], `${key}\n`, keyring)).code).toBe(0);
    const echo = await startFakeModel({ apiKey: key, decide: () => ({ verdict: "deny", reason: `the key is ${key}` }) });
    const saved = fake;
    try {
      fake = echo;
      configure("anthropic", `api_key_secret = "${name}"\n`);
      const run = await safeSh(["review"], request("rm -rf out"), keyring);
      expect(echo.problems).toEqual([]);
      expect(echo.calls[0].headers["x-api-key"]).toBe(key);
      expect(JSON.stringify(echo.calls[0].body)).not.toContain(key);
      expect(JSON.parse(run.stdout)).toEqual({ verdict: "deny", reason: `the key is [REDACTED:${name}]` });
      const trail = fs.readFileSync(env.SAFE_SH_AUDIT_LOG!, "utf8");
      expect(trail).not.toContain(key);
      expect(trail).toContain(`[REDACTED:${name}]`);
    } finally {
      fake = saved;
      await echo.close();
      await safeSh(["secret", "rm", name], undefined, keyring);
    }
  });
});
