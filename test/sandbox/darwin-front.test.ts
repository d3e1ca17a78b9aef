// SafeShell and Session on macOS for real: the front end's own path (plan,
// child_process launch, TCP proxy, report, audit trail, unified-log denials)
// through safe-sh-exec and Seatbelt. Runs only on macOS (the GitHub macOS
// jobs); skipped, visibly, elsewhere. darwin.test.ts covers the profile rule by rule.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafeShell, Session } from "../../dist/index.js";
import { defaultDraft } from "../../dist/policy/layers.js";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

const onMac = process.platform === "darwin";
const env = () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.homedir() });

// Prints OK or the errno name of one write.
const write = (file: string) => `python3 -c ${JSON.stringify(`import errno\ntry:\n    open(${JSON.stringify(file)}, "a").write("x")\n    print("OK")\nexcept OSError as e:\n    print(errno.errorcode[e.errno])`)}`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(onMac)("macOS: SafeShell", () => {
  let workspace: string;
  let outside: string;
  beforeEach(() => {
    workspace = tempDir("ws");
    outside = tempDir("outside");
  });
  afterEach(removeTempDirs);

  it("writes in the workspace, is refused outside (EPERM), and the launcher reports the profile applied", async () => {
    const result = await new SafeShell({ workspace }).run(`${write(path.join(workspace, "a"))}; ${write(path.join(outside, "b"))}; exit 3`, { env: env() });
    expect(result).toMatchObject({ exitCode: 3, stdout: "OK\nEPERM\n" });
    expect(result.enforced?.seatbelt).toBe(true);
    expect(fs.existsSync(path.join(outside, "b"))).toBe(false);
  });

  it("kills the whole tree when the timeout elapses", async () => {
    const pidFile = path.join(workspace, "pid");
    const result = await new SafeShell({ workspace }).run(`sleep 300 & echo $! > pid; sleep 300`, { env: env(), timeoutMs: 500 });
    expect(result).toMatchObject({ timedOut: true, signal: "SIGKILL" });
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    for (let i = 0; i < 60 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(pid)).toBe(false);
  });

  it("allowlist: the listed host through the TCP proxy with TLS verified; an unlisted one refused", async () => {
    const shell = new SafeShell({ workspace, networkRules: { allow: ["example.com"] } });
    try {
      const result = await shell.run('curl -sS -o /dev/null -w "%{http_code}\\n" https://example.com/; curl -sS -o /dev/null https://example.org/ || echo refused', { env: env(), network: "allowlist" });
      expect(result.stdout).toBe("200\nrefused\n");
    } finally {
      await shell.close();
    }
  });
});

describe.runIf(onMac)("macOS: TLS from Node, Python and Go through SafeShell's TCP proxy", () => {
  let workspace: string;
  let shell: InstanceType<typeof SafeShell>;
  beforeEach(() => {
    workspace = tempDir("ws");
    shell = new SafeShell({ workspace, networkRules: { allow: ["example.com"] } });
  });
  afterEach(async () => {
    await shell.close();
    removeTempDirs();
  });
  const run = (script: string) => shell.run(script, { env: env(), network: "allowlist", timeoutMs: 120_000 });

  it("Node verifies the certificate through a CONNECT tunnel, and Python through urllib", async () => {
    const node = 'const http=require("http"),tls=require("tls");const u=new URL(process.env.HTTPS_PROXY);http.request({host:u.hostname,port:u.port,method:"CONNECT",path:"example.com:443"}).on("connect",(res,socket)=>{const t=tls.connect({socket,servername:"example.com"},()=>{console.log(t.authorized?"verified":"unverified");t.end()})}).end()';
    const python = 'import urllib.request; print(urllib.request.urlopen("https://example.com/").status)';
    expect((await run(`node -e '${node}'; python3 -c '${python}'`)).stdout).toBe("verified\n200\n");
  });

  it.runIf(spawnSync("go", ["version"]).status === 0)("Go's crypto/x509 verifies through the proxy", async () => {
    fs.writeFileSync(path.join(workspace, "main.go"), 'package main\nimport ("fmt"; "net/http")\nfunc main() { r, err := http.Get("https://example.com/"); if err != nil { fmt.Println(err); return }; fmt.Println(r.StatusCode) }\n');
    const result = await run('export GOCACHE="$TMPDIR/go-build" GOPATH="$TMPDIR/go" GOTELEMETRY=off; go run main.go');
    expect(result.stdout).toBe("200\n");
  }, 180_000);
});

describe.runIf(onMac)("macOS: Session", () => {
  let workspace: string;
  let state: string;
  beforeEach(() => {
    workspace = tempDir("ws");
    state = tempDir("state");
  });
  afterEach(removeTempDirs);

  it("records Seatbelt's guarantees at exec, and a denied write as a violation record of the run", async () => {
    const outside = tempDir("outside");
    const session = new Session({
      workspace,
      policy: defaultDraft("/nonexistent/safe-sh/config.toml").policy,
      audit: { path: path.join(state, "audit.jsonl") },
      env: { ...env(), SAFE_SH_STATE_DIR: state },
      notify: () => undefined,
    });
    // The sleep gives the unified log time to deliver the denial before the run ends.
    const result = await session.run(`${write(path.join(outside, "x"))}; sleep 1`);
    await session.close();
    expect(result.stdout).toBe("EPERM\n");
    expect(result.enforced).toContain("Seatbelt profile (deny default)");
    const trail = fs.readFileSync(session.audit.path, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(trail.find((r) => r.event === "exec")).toMatchObject({ runId: result.runId });
    expect(trail.filter((r) => r.event === "violation")).toContainEqual(expect.objectContaining({ runId: result.runId, operation: expect.stringMatching(/^file-write/) }));
  });
});
