// macOS confinement for real: safe-sh-exec applying the generated Seatbelt
// profile. Each restriction is shown both ways: the allowed action works,
// the escape fails with EPERM and leaves the outside untouched. Runs only on
// macOS (the GitHub macOS jobs); skipped, visibly, elsewhere. The front end
// (SafeShell, Session) through the same launcher: darwin-front.test.ts.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { darwinLaunch } from "../../dist/sandbox/darwin/launch.js";
import type { DarwinPlanOptions } from "../../dist/sandbox/darwin/plan.js";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

const onMac = process.platform === "darwin";

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

type Options = Omit<DarwinPlanOptions, "runId" | "tmpdir" | "workspace">;

/** Runs `bash -c script` confined in `workspace`; resolves when the launcher exits. */
function confined(workspace: string, script: string, options: Options = {}, onStart?: (child: ChildProcess) => void): Promise<Outcome> {
  const { file, args, plan, cleanup } = darwinLaunch({ workspace, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.homedir() }, ...options }, ["/bin/bash", "-c", script]);
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: plan.env, cwd: plan.cwd, detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    onStart?.(child);
    child.on("close", (status) => {
      cleanup();
      resolve({ status, stdout: stdout.trim(), stderr });
    });
  });
}

// Alive: signalable and not a zombie (macOS has no /proc: ps tells).
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !spawnSync("/bin/ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim().startsWith("Z");
}

/** Polls until none of `pids` is alive or the deadline passes; returns those still alive. */
async function waitGone(pids: number[], timeoutMs = 3_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Prints OK or the errno name of one file operation (python3 ships with macOS's CLT and the runners).
const py = (code: string) => `python3 -c ${JSON.stringify(`import errno,os,socket,sys\ntry:\n    ${code}\n    print("OK")\nexcept OSError as e:\n    print(errno.errorcode[e.errno])`)}`;
const write = (file: string) => py(`open(${JSON.stringify(file)}, "a").write("x")`);
const read = (file: string) => py(`open(${JSON.stringify(file)}).read()`);
const connect = (port: number) => py(`socket.create_connection(("127.0.0.1", ${port}), 5).close()`);

describe.runIf(onMac)("macOS: writes", () => {
  let workspace: string;
  let outside: string;
  beforeEach(() => {
    workspace = tempDir("ws");
    outside = tempDir("outside");
    fs.writeFileSync(path.join(outside, "victim.txt"), "original");
  });
  afterEach(removeTempDirs);

  it("writes inside the workspace and its TMPDIR", async () => {
    expect((await confined(workspace, `${write(path.join(workspace, "a.txt"))}; ${py('open(os.environ["TMPDIR"] + "/t", "w").write("x")')}`)).stdout).toBe("OK\nOK");
  });

  it("is refused writing outside (EPERM), the file untouched", async () => {
    expect((await confined(workspace, write(path.join(outside, "victim.txt")))).stdout).toBe("EPERM");
    expect((await confined(workspace, write("/private/tmp/safe-sh-escape"))).stdout).toBe("EPERM");
    expect(fs.readFileSync(path.join(outside, "victim.txt"), "utf8")).toBe("original");
  });

  it("can neither rename nor hard-link its way out", async () => {
    fs.writeFileSync(path.join(workspace, "mine"), "m");
    const out = await confined(workspace, `${py(`os.rename("mine", ${JSON.stringify(path.join(outside, "moved"))})`)}; ${py(`os.link(${JSON.stringify(path.join(outside, "victim.txt"))}, "linked")`)}`);
    expect(out.stdout).toBe("EPERM\nEPERM");
    expect(fs.existsSync(path.join(outside, "moved"))).toBe(false);
    expect(fs.existsSync(path.join(workspace, "linked"))).toBe(false);
    expect(fs.readFileSync(path.join(outside, "victim.txt"), "utf8")).toBe("original");
  });
});

describe.runIf(onMac)("macOS: protected paths inside the workspace", () => {
  let workspace: string;
  beforeEach(() => {
    workspace = tempDir("ws");
    fs.mkdirSync(path.join(workspace, ".git", "hooks"), { recursive: true });
    fs.writeFileSync(path.join(workspace, ".git", "config"), "[core]\n");
  });
  afterEach(removeTempDirs);

  it("keeps .git/config and .git/hooks read-only, existing or not (EPERM)", async () => {
    const out = await confined(workspace, `${write(".git/config")}; ${write(".git/hooks/pre-commit")}; ${write(".bashrc")}; ${write("src.txt")}`);
    expect(out.stdout).toBe("EPERM\nEPERM\nEPERM\nOK");
    expect(fs.readFileSync(path.join(workspace, ".git", "config"), "utf8")).toBe("[core]\n");
    expect(fs.existsSync(path.join(workspace, ".bashrc"))).toBe(false);
  });

  it("can't hard-link a hook to rewrite it under another name (EPERM)", async () => {
    fs.writeFileSync(path.join(workspace, ".git", "hooks", "pre-commit"), "#!/bin/sh\n");
    const out = await confined(workspace, `${py('os.link(".git/hooks/pre-commit", "innocent")')}; ${write("other.txt")}`);
    expect(out.stdout).toBe("EPERM\nOK");
    expect(fs.readFileSync(path.join(workspace, ".git", "hooks", "pre-commit"), "utf8")).toBe("#!/bin/sh\n");
  });

  it("can't move .git (or the hooks dir) aside to replace it", async () => {
    const out = await confined(workspace, `${py('os.rename(".git", "git-old")')}; ${py('os.rename(".git/hooks", ".git/h2")')}`);
    expect(out.stdout).toBe("EPERM\nEPERM");
    expect(fs.existsSync(path.join(workspace, ".git", "hooks"))).toBe(true);
  });
});

describe.runIf(onMac)("macOS: credential masks and deny_read", () => {
  let workspace: string;
  let secrets: string;
  beforeEach(() => {
    workspace = tempDir("ws");
    secrets = tempDir("secrets");
    fs.writeFileSync(path.join(secrets, "token"), "s3cret");
    fs.mkdirSync(path.join(secrets, "public"));
    fs.writeFileSync(path.join(secrets, "public", "ok"), "fine");
  });
  afterEach(removeTempDirs);

  it("reads outside the workspace, but not a deny_read path; allow_read re-opens beneath it", async () => {
    const out = await confined(workspace, `${read("/etc/hosts")}; ${read(path.join(secrets, "token"))}; ${py(`os.listdir(${JSON.stringify(secrets)})`)}; ${read(path.join(secrets, "public", "ok"))}`, { denyRead: [secrets], allowRead: [path.join(secrets, "public")] });
    expect(out.stdout).toBe("OK\nEPERM\nEPERM\nOK");
  });

  it("denies a deny_read path spelled in another letter case (APFS is case-insensitive by default)", async () => {
    expect(fs.readFileSync(path.join(secrets, "TOKEN"), "utf8")).toBe("s3cret");
    expect((await confined(workspace, read(path.join(secrets, "TOKEN")), { denyRead: [secrets] })).stdout).toBe("EPERM");
  });

  it("hides the login Keychains", async () => {
    const keychains = path.join(os.homedir(), "Library", "Keychains");
    expect(fs.existsSync(keychains)).toBe(true);
    expect((await confined(workspace, py(`os.listdir(${JSON.stringify(keychains)})`))).stdout).toBe("EPERM");
  });
});

describe.runIf(onMac)("macOS: network", () => {
  let workspace: string;
  let server: net.Server;
  let port: number;
  beforeEach(async () => {
    workspace = tempDir("ws");
    server = net.createServer((socket) => socket.end("hi"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterEach(async () => {
    removeTempDirs();
    await new Promise((resolve) => server.close(resolve));
  });

  it("none: no IP connection at all, even to loopback (EPERM); Unix sockets in the workspace work", async () => {
    expect((await confined(workspace, connect(port))).stdout).toBe("EPERM");
    const unix = py('s = socket.socket(socket.AF_UNIX); s.bind("sock"); s.listen(1); c = socket.socket(socket.AF_UNIX); c.connect("sock")');
    expect((await confined(workspace, unix)).stdout).toBe("OK");
  });

  it("allowlist: only the proxy's port is reachable", async () => {
    const other = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const otherPort = (other.address() as net.AddressInfo).port;
    const out = await confined(workspace, `${connect(port)}; ${connect(otherPort)}`, { network: "allowlist", proxyPort: port });
    await new Promise((resolve) => other.close(resolve));
    expect(out.stdout).toBe("OK\nEPERM");
  });

  it("full: loopback and the host's network", async () => {
    expect((await confined(workspace, connect(port), { network: "full" })).stdout).toBe("OK");
  });
});

describe.runIf(onMac)("macOS: TLS through the allowlist proxy (trustd, SecurityServer)", () => {
  let workspace: string;
  let proxy: { port?: number; close(): Promise<void> };
  beforeEach(async () => {
    workspace = tempDir("ws");
    const { startProxy } = await import("../../dist/net/proxy.js");
    proxy = await startProxy({ allow: ["example.com"], listen: { host: "127.0.0.1", port: 0 } });
  });
  afterEach(async () => {
    removeTempDirs();
    await proxy.close();
  });
  const options = (): Options => ({ network: "allowlist", proxyPort: proxy.port! });

  it("curl and Python verify a certificate through the proxy; an unlisted host is refused", async () => {
    const out = await confined(workspace, 'curl -sS -o /dev/null -w "%{http_code}\\n" https://example.com/; python3 -c \'import urllib.request; print(urllib.request.urlopen("https://example.com/").status)\'; curl -sS -o /dev/null https://example.org/ || echo refused', options());
    expect(out.stdout.split("\n")).toEqual(["200", "200", "refused"]);
  });

  it("Go's crypto/x509 (Security.framework) verifies through the proxy", async () => {
    fs.writeFileSync(path.join(workspace, "main.go"), 'package main\nimport ("fmt"; "net/http")\nfunc main() { r, err := http.Get("https://example.com/"); if err != nil { fmt.Println(err); return }; fmt.Println(r.StatusCode) }\n');
    const out = await confined(workspace, 'export GOCACHE="$TMPDIR/go-build" GOPATH="$TMPDIR/go" GOTELEMETRY=off; go run main.go', options());
    expect(out.stdout).toBe("200");
  }, 120_000);

  it("Node's TLS verifies through a CONNECT tunnel", async () => {
    const script = 'const http=require("http"),tls=require("tls");const u=new URL(process.env.HTTPS_PROXY);http.request({host:u.hostname,port:u.port,method:"CONNECT",path:"example.com:443"}).on("connect",(res,socket)=>{const t=tls.connect({socket,servername:"example.com"},()=>{console.log(t.authorized?"verified":"unverified");t.end()})}).end()';
    expect((await confined(workspace, `node -e '${script}'`, options())).stdout).toBe("verified");
  });
});

describe.runIf(onMac)("macOS: containment without a pid namespace", () => {
  let workspace: string;
  beforeEach(() => (workspace = tempDir("ws")));
  afterEach(removeTempDirs);

  it("signals only its own processes (kill of the test runner: EPERM)", async () => {
    expect((await confined(workspace, `kill -0 $$ && echo self; ${py(`os.kill(${process.pid}, 0)`)}`)).stdout).toBe("self\nEPERM");
  });

  it("a background job outlives plain bash (the check below can fail)", () => {
    const pid = Number(spawnSync("/bin/bash", ["-c", "sleep 300 >/dev/null 2>&1 & echo $!"], { encoding: "utf8" }).stdout.trim());
    expect(alive(pid)).toBe(true);
    process.kill(pid, "SIGKILL");
  });

  it("kills what the command left running in the background when it ends", async () => {
    const out = await confined(workspace, "sleep 300 & echo $!");
    expect(Number(out.stdout)).toBeGreaterThan(1);
    expect(await waitGone([Number(out.stdout)])).toEqual([]);
  });

  it("kills the whole tree when the launcher's parent dies", async () => {
    // A middle process runs the launcher, then dies by SIGKILL.
    const { file, args, plan, cleanup } = darwinLaunch({ workspace, env: { PATH: "/usr/bin:/bin" } }, ["/bin/bash", "-c", "sleep 300 & echo $!; wait"]);
    const middle = spawn("/bin/bash", ["-c", 'exec 3>&1; "$0" "$@" & wait', file, ...args], { env: plan.env, cwd: plan.cwd, stdio: ["ignore", "pipe", "inherit"] });
    const pid = await new Promise<number>((resolve) => middle.stdout.once("data", (chunk) => resolve(Number(String(chunk).trim()))));
    middle.kill("SIGKILL");
    expect(await waitGone([pid], 5_000)).toEqual([]);
    cleanup();
  });

  it("a timeout's kill of the launcher's group ends the tree", async () => {
    let launcher: ChildProcess | undefined;
    const pending = confined(workspace, "sleep 300 & echo $!; wait", {}, (child) => (launcher = child));
    await new Promise((resolve) => setTimeout(resolve, 500));
    process.kill(-launcher!.pid!, "SIGKILL");
    const out = await pending;
    expect(await waitGone([Number(out.stdout)])).toEqual([]);
  });
});
