// Established tunnels, relayed by the addon's splice thread (default) and by the JS
// stream fallback (SAFE_SH_PROXY_RELAY=stream): integrity, half-close, resets, many
// tunnels at once, no fd leak, and a process that exits once the proxy is closed.
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readlinkSync } from "node:fs";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxy, type ConnectionEvent, type ProxyHandle } from "../../src/net";
import { startEcho, stop } from "./helpers";

const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

/** A TCP server on 127.0.0.1 running `onSocket` for each connection (half-open allowed). */
async function startServer(onSocket: (socket: Socket) => void): Promise<{ port: number; server: Server }> {
  const open = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    socket.on("error", () => undefined);
    onSocket(socket);
  });
  // Half-open sockets never close by themselves: close() would wait for them forever.
  const close = server.close.bind(server);
  server.close = (callback) => {
    open.forEach((socket) => socket.destroy());
    return close(callback);
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

/** Collects a socket's bytes until EOF or close; `ended` tells which. Bounded by `ms`. */
function collect(socket: Socket, ms = 20_000): Promise<{ data: Buffer; ended: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let ended = false;
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.once("end", () => (ended = true));
    socket.once("close", () => {
      clearTimeout(timer);
      resolve({ data: Buffer.concat(chunks), ended });
    });
    socket.resume();
  });
}

/** Opens a tunnel through the proxy (HTTP CONNECT or SOCKS5); resolves, paused, once it is established. */
function openTunnel(proxyPort: number, host: string, port: number, protocol: "connect" | "socks5"): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: proxyPort, host: "127.0.0.1", allowHalfOpen: true });
    socket.on("error", reject);
    const timer = setTimeout(() => socket.destroy(new Error("no tunnel within 5 s")), 5000);
    let buf = Buffer.alloc(0);
    // The reply's length: SOCKS5 method choice (2) + reply (10); CONNECT up to the blank line.
    const replyEnd = (): number => (protocol === "socks5" ? (buf.length >= 12 ? 12 : -1) : buf.indexOf("\r\n\r\n") < 0 ? -1 : buf.indexOf("\r\n\r\n") + 4);
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      const end = replyEnd();
      if (end < 0) return;
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("error", reject);
      const ok = protocol === "socks5" ? buf[3] === 0x00 : buf.subarray(0, 12).toString() === "HTTP/1.1 200";
      if (!ok) return reject(new Error(`tunnel refused: ${buf.subarray(0, end).toString("latin1")}`));
      socket.pause();
      if (buf.length > end) socket.unshift(buf.subarray(end));
      resolve(socket);
    };
    socket.on("data", onData);
    if (protocol === "connect") socket.write(`CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`);
    else socket.write(Buffer.concat([Buffer.from([5, 1, 0, 5, 1, 0, 3, host.length]), Buffer.from(host), Buffer.from([port >> 8, port & 0xff])]));
  });
}

/** Resolves when the peer hung up (EOF, reset or close); false when `ms` passed first. */
function hungUp(socket: Socket, ms = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once("end", done).once("error", done).once("close", done);
    socket.resume();
  });
}

function pipeFds(): number {
  let count = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith("pipe:")) count++;
    } catch {
      // closed between readdir and readlink
    }
  }
  return count;
}

async function until(what: () => boolean, ms = 5000): Promise<void> {
  for (let i = 0; i < ms / 10 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe.each(["splice", "stream"] as const)("tunnel relay (%s)", (mode) => {
  let handle: ProxyHandle;
  const events: ConnectionEvent[] = [];
  const servers: Server[] = [];
  const tunnel = (port: number, protocol: "connect" | "socks5" = "connect"): Promise<Socket> => openTunnel(handle.port!, "peer.test", port, protocol);
  const server = async (onSocket: (socket: Socket) => void): Promise<number> => {
    const s = await startServer(onSocket);
    servers.push(s.server);
    return s.port;
  };

  beforeAll(async () => {
    const saved = process.env.SAFE_SH_PROXY_RELAY;
    if (mode === "stream") process.env.SAFE_SH_PROXY_RELAY = "stream";
    else delete process.env.SAFE_SH_PROXY_RELAY;
    handle = await startProxy({
      allow: ["peer.test"],
      hosts: { "peer.test": "127.0.0.1" },
      allowPrivate: ["peer.test"],
      listen: { host: "127.0.0.1", port: 0 },
      onConnection: (e) => events.push(e),
    });
    if (saved === undefined) delete process.env.SAFE_SH_PROXY_RELAY;
    else process.env.SAFE_SH_PROXY_RELAY = saved;
  });
  afterAll(async () => {
    await handle.close();
    await stop(...servers);
  });

  it.each(["connect", "socks5"] as const)("moves 24 MiB each way at once unchanged (%s), and records the bytes", async (protocol) => {
    const up = randomBytes(24 * 1024 * 1024);
    const down = randomBytes(24 * 1024 * 1024);
    let received: Promise<{ data: Buffer; ended: boolean }> | undefined;
    const port = await server((socket) => {
      received = collect(socket);
      socket.end(down);
    });
    const before = events.length;
    const socket = await tunnel(port, protocol);
    const got = collect(socket);
    socket.end(up);
    const client = await got;
    await until(() => received !== undefined);
    const origin = await received!;
    expect(sha256(client.data)).toBe(sha256(down));
    expect(sha256(origin.data)).toBe(sha256(up));
    await until(() => events.length > before);
    expect(events[before]).toMatchObject({ protocol, decision: "allow", bytesUp: up.length, bytesDown: down.length });
  });

  it("passes the client's FIN on and still delivers the reply (client half-closes first)", async () => {
    const port = await server((socket) => {
      const request = collect(socket);
      socket.once("end", async () => socket.end(`got ${(await Promise.race([request, Promise.resolve({ data: Buffer.alloc(0) })])).data.length}`));
    });
    const socket = await tunnel(port);
    const reply = collect(socket);
    socket.end("hello");
    const r = await reply;
    expect(r).toMatchObject({ ended: true });
    expect(r.data.toString()).toMatch(/^got \d+$/);
  });

  it("passes the destination's FIN on and still carries the client's bytes (destination half-closes first)", async () => {
    let late: Promise<{ data: Buffer; ended: boolean }> | undefined;
    const port = await server((socket) => {
      late = collect(socket);
      socket.end("banner");
    });
    const socket = await tunnel(port);
    const chunks: Buffer[] = [];
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.resume();
    await new Promise<void>((resolve) => socket.once("end", () => resolve()));
    expect(Buffer.concat(chunks).toString()).toBe("banner");
    socket.end("late bytes");
    await until(() => late !== undefined);
    expect(await late!).toEqual({ data: Buffer.from("late bytes"), ended: true });
  });

  it("closes the client when the destination resets", async () => {
    const port = await server((socket) => socket.once("data", () => socket.resetAndDestroy()));
    const socket = await tunnel(port);
    const closed = hungUp(socket);
    socket.write("trigger");
    expect(await closed).toBe(true);
  });

  it("closes the destination when the client resets", async () => {
    let closed: Promise<boolean> | undefined;
    const port = await server((socket) => {
      socket.write("ready");
      closed = hungUp(socket);
    });
    const socket = await tunnel(port);
    await new Promise<void>((resolve) => socket.once("data", () => resolve()).resume());
    await until(() => closed !== undefined);
    socket.resetAndDestroy();
    expect(await closed).toBe(true);
  });

  it("relays 60 tunnels at once, each unchanged", async () => {
    const echo = await startEcho();
    servers.push(echo.server);
    const one = async (): Promise<boolean> => {
      const data = randomBytes(256 * 1024);
      const socket = await tunnel(echo.port);
      const back = collect(socket);
      socket.end(data);
      return (await back).data.equals(data);
    };
    const results = await Promise.all(Array.from({ length: 60 }, one));
    expect(results.filter(Boolean)).toHaveLength(60);
  });
});

describe("splice relay", () => {
  let handle: ProxyHandle;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  const events: ConnectionEvent[] = [];

  beforeAll(async () => {
    echo = await startEcho();
    handle = await startProxy({
      allow: ["peer.test"],
      hosts: { "peer.test": "127.0.0.1" },
      allowPrivate: ["peer.test"],
      listen: { host: "127.0.0.1", port: 0 },
      onConnection: (e) => events.push(e),
    });
  });
  afterAll(async () => {
    await handle.close();
    await stop(echo.server);
  });

  const roundTrip = async (): Promise<void> => {
    const socket = await openTunnel(handle.port!, "peer.test", echo.port, "connect");
    const back = collect(socket);
    socket.end("x".repeat(1000));
    expect((await back).data.length).toBe(1000);
  };

  it("hands an established tunnel to the relay thread (its pipes appear), and counts it active until it ends", async () => {
    await roundTrip(); // starts the relay thread
    const before = pipeFds();
    const socket = await openTunnel(handle.port!, "peer.test", echo.port, "connect");
    await until(() => pipeFds() >= before + 4);
    expect(pipeFds()).toBe(before + 4); // two pipes, one per direction
    expect(handle.stats.active).toBe(1);
    const back = collect(socket);
    socket.end();
    await back;
    await until(() => handle.stats.active === 0);
    expect(handle.stats.active).toBe(0);
    expect(pipeFds()).toBe(before);
  });

  it("leaks no fd over 120 tunnels", async () => {
    await roundTrip();
    await until(() => handle.stats.active === 0);
    const before = readdirSync("/proc/self/fd").length;
    const recorded = events.length;
    for (let batch = 0; batch < 6; batch++) await Promise.all(Array.from({ length: 20 }, roundTrip));
    await until(() => events.length === recorded + 120 && handle.stats.active === 0);
    expect(events.length).toBe(recorded + 120);
    expect(readdirSync("/proc/self/fd").length - before).toBeLessThanOrEqual(2);
  });

  it("lets the process exit once the proxy is closed, aborting the open tunnel", async () => {
    const child = join(__dirname, "fixtures", "tunnel-exit.js");
    const started = Date.now();
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [child], { timeout: 10_000, env: { PATH: process.env.PATH } }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
      });
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ pipesDuringTunnel: 4, active: 0 });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
