// The default listening mode: a Unix socket in a private 0700 directory, reached
// here by curl's SOCKS5-over-Unix-socket proxy URL and by a raw CONNECT.
import { existsSync, statSync } from "node:fs";
import { connect } from "node:net";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxy, type ProxyHandle } from "../../src/net";
import { curl, startOrigin, stop } from "./helpers";

let origin: Awaited<ReturnType<typeof startOrigin>>;
let handle: ProxyHandle;

beforeAll(async () => {
  origin = await startOrigin();
  handle = await startProxy({ allow: ["allowed.test"], hosts: { "allowed.test": "127.0.0.1", "other.test": "127.0.0.1" }, allowPrivate: ["allowed.test", "other.test"] });
});
afterAll(async () => {
  await handle.close();
  await stop(origin.server);
});

/** Speaks CONNECT over the Unix socket, then a GET inside the tunnel; returns all bytes read. */
function connectThrough(target: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(handle.socketPath!);
    let text = "";
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on("connect", () => socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    socket.on("data", (d) => {
      text += d.toString();
      if (text.startsWith("HTTP/1.1 200") && text.endsWith("\r\n\r\n")) socket.write(`GET /raw HTTP/1.1\r\nHost: ${target}\r\nConnection: close\r\n\r\n`);
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

describe("Unix socket listener", () => {
  it("listens on proxy.sock in a directory only the owner can enter", () => {
    expect(handle.port).toBeUndefined();
    expect(handle.socketPath).toMatch(/safe-sh-proxy-[^/]+\/proxy\.sock$/);
    expect(statSync(dirname(handle.socketPath!)).mode & 0o777).toBe(0o700);
  });

  it("tunnels CONNECT to an allowed host and refuses another with 403", async () => {
    const ok = await connectThrough(`allowed.test:${origin.port}`);
    expect(ok).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n\r\nHTTP\/1\.1 200 OK/);
    expect(ok).toContain("origin:/raw");
    const refused = await connectThrough(`other.test:${origin.port}`);
    expect(refused).toMatch(/^HTTP\/1\.1 403 Forbidden\r\nX-Safe-Sh-Denied: other\.test\r\n/);
  });

  it("serves curl's SOCKS5 proxy over the socket (socks5h://localhost/<path>)", async () => {
    // curl's --unix-socket bypasses -x entirely (it sends origin-form requests), so it cannot
    // reach an HTTP proxy on a Unix socket; its SOCKS proxy URL can.
    const proxy = `socks5h://localhost${handle.socketPath}`;
    const ok = await curl(["-x", proxy, `http://allowed.test:${origin.port}/unix`]);
    expect(ok.stdout).toBe("origin:/unix");
    const refused = await curl(["-x", proxy, `http://other.test:${origin.port}/`]);
    expect(refused.code).toBe(97);
  });

  it("removes the socket directory on close and destroys open tunnels", async () => {
    const own = await startProxy({ allow: ["allowed.test"], hosts: { "allowed.test": "127.0.0.1" }, allowPrivate: ["allowed.test"] });
    const socket = connect(own.socketPath!);
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.on("error", () => undefined);
    socket.write(`CONNECT allowed.test:${origin.port} HTTP/1.1\r\n\r\n`);
    await new Promise<void>((resolve) => socket.once("data", () => resolve()));
    expect(own.stats.active).toBe(1);
    await own.close();
    await closed;
    expect(existsSync(own.socketPath!)).toBe(false);
    expect(existsSync(dirname(own.socketPath!))).toBe(false);
  });
});
