// --network allowlist end to end: real curl and git inside the sandbox reach
// exactly the hosts the rules name, through the launcher's bridge and the
// proxy; direct connections and UDP have nowhere to go.
import { execFileSync } from "node:child_process";
import * as dgram from "node:dgram";
import * as fs from "node:fs";
import type { Server as HttpServer } from "node:http";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SafeShell } from "../../dist/index.js";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";
import { gitHttpBackend, startOrigin, stop } from "./helpers";

describe.runIf(canConfine())("a sandbox with --network allowlist", () => {
  let origin: { port: number; server: HttpServer };
  let git: HttpServer;
  let gitPort: number;
  let shell: InstanceType<typeof SafeShell>;
  let ws: string;
  const events: { host: string; decision: string }[] = [];

  beforeAll(async () => {
    ws = tempDir("allowlist-ws");
    origin = await startOrigin();
    const repos = tempDir("allowlist-repos");
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", path.join(repos, "repo.git")]);
    const work = tempDir("allowlist-work");
    execFileSync("git", ["init", "-q", "-b", "main", work]);
    fs.writeFileSync(path.join(work, "README"), "hello from the repo\n");
    execFileSync("git", ["-C", work, "add", "."]);
    execFileSync("git", ["-C", work, "-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "-qm", "first"]);
    execFileSync("git", ["-C", work, "push", "-q", path.join(repos, "repo.git"), "main"]);
    git = gitHttpBackend(repos);
    await new Promise<void>((resolve) => git.listen(0, "127.0.0.1", resolve));
    gitPort = (git.address() as { port: number }).port;
    shell = new SafeShell({
      workspace: ws,
      network: "allowlist",
      networkRules: {
        allow: ["allowed.test", "*.git.test"],
        deny: ["evil.allowed.test"],
        hosts: { "allowed.test": "127.0.0.1", "unknown.test": "127.0.0.1", "src.git.test": "127.0.0.1", "private.test": "127.0.0.1" },
        allowPrivate: ["allowed.test", "src.git.test"],
      },
      onNetworkEvent: (event) => events.push({ host: event.host, decision: event.decision }),
    });
  });

  afterAll(async () => {
    await shell?.close();
    await stop(origin.server, git);
    removeTempDirs();
  });

  const run = (script: string) => shell.run(script, { timeoutMs: 20_000 });

  it("reaches an allowed host through the proxy, for curl over plain HTTP and CONNECT", async () => {
    const plain = await run(`curl -sS --max-time 10 http://allowed.test:${origin.port}/hi`);
    expect(plain.stdout).toBe("origin:/hi");
    const tunnel = await run(`curl -sS --max-time 10 --proxytunnel http://allowed.test:${origin.port}/tunnel`);
    expect(tunnel.stdout).toBe("origin:/tunnel");
    expect(events).toContainEqual({ host: "allowed.test", decision: "allow" });
  });

  it("clones a repository over smart HTTP with git", async () => {
    const result = await run(`git clone -q http://src.git.test:${gitPort}/repo.git clone && cat clone/README`);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("hello from the repo\n");
  });

  it("refuses an unknown host with 403, a header naming it, and how to allow it", async () => {
    const result = await run(`curl -sS -i --max-time 10 http://unknown.test:${origin.port}/`);
    expect(result.stdout).toMatch(/^HTTP\/1\.1 403/);
    expect(result.stdout).toMatch(/x-safe-sh-denied: unknown\.test/i);
    expect(result.stdout).toContain("[network] allow");
    expect(events).toContainEqual({ host: "unknown.test", decision: "deny" });
  });

  it("lets deny win over a wildcard allow (SOCKS5: not allowed by ruleset)", async () => {
    const result = await run(`curl -sS --max-time 10 --socks5-hostname 127.0.0.1:3128 http://evil.allowed.test:${origin.port}/`);
    expect(result.exitCode).toBe(97);
  });

  it("refuses an allowed name that maps to a private address unless allowPrivate names it", async () => {
    const result = await run(`curl -sS -o /dev/null -w '%{http_code}' --max-time 10 http://private.test:${origin.port}/`);
    expect(result.stdout).toBe("403");
  });

  it("has no route for a program that ignores the proxy variables (curl exit 7: connection refused)", async () => {
    const result = await run(`curl -sS --noproxy '*' --max-time 5 http://127.0.0.1:${origin.port}/`);
    expect(result.exitCode).toBe(7);
    expect(result.stdout).toBe("");
  });

  it("gets no UDP out: a datagram to a host listener never arrives", async () => {
    const socket = dgram.createSocket("udp4");
    const received: Buffer[] = [];
    socket.on("message", (message) => received.push(message));
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    const port = socket.address().port;
    const result = await run(`python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'leak', ('127.0.0.1', ${port})); print('sent')"`);
    expect(result.stdout.trim()).toBe("sent");
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.close();
    expect(received).toEqual([]);
  });

  it("finishes 50 parallel downloads", async () => {
    const result = await run(`for i in $(seq 1 50); do curl -sS --max-time 20 -o /dev/null -w '%{http_code}\\n' http://allowed.test:${origin.port}/$i & done; wait`);
    expect(result.stdout.trim().split("\n").sort()).toEqual(Array(50).fill("200"));
  });
});
