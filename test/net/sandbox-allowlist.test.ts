// --network allowlist end to end: real curl and git inside the sandbox reach
// exactly the hosts the rules name, through the launcher's bridge and the
// proxy; direct connections and UDP have nowhere to go.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as dgram from "node:dgram";
import * as fs from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
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
  let registry: HttpServer;
  let registryPort: number;
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
    registry = await startRegistry();
    registryPort = (registry.address() as { port: number }).port;
    shell = new SafeShell({
      workspace: ws,
      network: "allowlist",
      networkRules: {
        allow: ["allowed.test", "*.git.test"],
        deny: ["evil.allowed.test"],
        hosts: { "allowed.test": "127.0.0.1", "unknown.test": "127.0.0.1", "src.git.test": "127.0.0.1", "private.test": "127.0.0.1", "registry.git.test": "127.0.0.1" },
        allowPrivate: ["allowed.test", "src.git.test", "registry.git.test"],
      },
      onNetworkEvent: (event) => events.push({ host: event.host, decision: event.decision }),
    });
  });

  afterAll(async () => {
    await shell?.close();
    await stop(origin.server, git, registry);
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

  it("installs a package with npm from a registry on an allowed host", async () => {
    const result = await shell.run(
      `echo '{}' > package.json && npm install --no-audit --no-fund --registry http://registry.git.test:${registryPort}/ safe-sh-fixture && node -p 'require("safe-sh-fixture")'`,
      { timeoutMs: 60_000, env: { ...process.env, npm_config_cache: "/tmp/npm-cache", npm_config_update_notifier: "false" } },
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("added 1 package");
    expect(result.stdout.trim().split("\n").pop()).toBe("fixture ok");
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

/**
 * A minimal npm registry for one package, `safe-sh-fixture@1.0.0`, packed by
 * `npm pack` from a directory made here; tarball URLs name registry.git.test.
 */
async function startRegistry(): Promise<HttpServer> {
  const source = tempDir("registry-pkg");
  fs.writeFileSync(path.join(source, "package.json"), JSON.stringify({ name: "safe-sh-fixture", version: "1.0.0", main: "index.js" }));
  fs.writeFileSync(path.join(source, "index.js"), 'module.exports = "fixture ok";\n');
  execFileSync("npm", ["pack", "--silent"], { cwd: source, stdio: "ignore" });
  const tarball = fs.readFileSync(path.join(source, "safe-sh-fixture-1.0.0.tgz"));
  const integrity = `sha512-${createHash("sha512").update(tarball).digest("base64")}`;
  const server = createServer((req, res) => {
    const base = `http://registry.git.test:${(server.address() as { port: number }).port}`;
    if (req.url === "/safe-sh-fixture/-/safe-sh-fixture-1.0.0.tgz") return void res.end(tarball);
    if (req.url !== "/safe-sh-fixture") return void res.writeHead(404).end("{}");
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({
      name: "safe-sh-fixture",
      "dist-tags": { latest: "1.0.0" },
      versions: { "1.0.0": { name: "safe-sh-fixture", version: "1.0.0", dist: { tarball: `${base}/safe-sh-fixture/-/safe-sh-fixture-1.0.0.tgz`, integrity } } },
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}
