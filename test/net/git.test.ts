// Real git through the proxy: `git ls-remote` over smart HTTP (git http-backend as CGI
// behind a local server), with http_proxy pointing at the proxy.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxy, type ProxyHandle } from "../../src/net";
import { gitHttpBackend, stop } from "./helpers";

let root: string;
let server: Server;
let handle: ProxyHandle;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const base = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: root, GIT_CONFIG_NOSYSTEM: "1", GIT_TERMINAL_PROMPT: "0" };
    execFile(cmd, args, { env: { ...base, ...env }, timeout: 15_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "safe-sh-git-"));
  const repo = join(root, "repo.git");
  await run("git", ["init", "-q", "--bare", "-b", "main", repo]);
  const work = join(root, "work");
  await run("git", ["init", "-q", "-b", "main", work]);
  await run("git", ["-C", work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "first"]);
  await run("git", ["-C", work, "push", "-q", repo, "main"]);
  server = gitHttpBackend(root);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  handle = await startProxy({
    allow: ["git.allowed.test"],
    hosts: { "git.allowed.test": "127.0.0.1", "git.other.test": "127.0.0.1" },
    allowPrivate: ["git.allowed.test", "git.other.test"],
    listen: { host: "127.0.0.1", port: 0 },
  });
});
afterAll(async () => {
  await handle?.close();
  if (server) await stop(server);
  await rm(root, { recursive: true, force: true });
});

describe("git through the proxy", () => {
  const viaProxy = () => ({ http_proxy: `http://127.0.0.1:${handle.port}`, no_proxy: "" });
  const port = () => (server.address() as AddressInfo).port;

  it("lists refs of a repository on an allowed host", async () => {
    const r = await run("git", ["ls-remote", `http://git.allowed.test:${port()}/repo.git`], viaProxy());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{40}\trefs\/heads\/main$/m);
  });

  it("clones from an allowed host (smart-HTTP POST bodies both ways)", async () => {
    const r = await run("git", ["clone", "-q", `http://git.allowed.test:${port()}/repo.git`, join(root, "clone")], viaProxy());
    expect(r.code).toBe(0);
    const log = await run("git", ["-C", join(root, "clone"), "log", "--format=%s"]);
    expect(log.stdout.trim()).toBe("first");
  });

  it("fails with the proxy's 403 for a host that is not allowed", async () => {
    const r = await run("git", ["ls-remote", `http://git.other.test:${port()}/repo.git`], viaProxy());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/403/);
  });
});
