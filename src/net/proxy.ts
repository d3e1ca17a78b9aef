// The allowlist proxy server: one listener (Unix socket by default) that sniffs the
// first byte of each connection (0x05 → SOCKS5, anything else → HTTP) and tracks it.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProxyContext } from "./context";
import { HostGate } from "./gate";
import { createHttpProxy } from "./http-proxy";
import { handleSocks5 } from "./socks5";
import { nativeRelay, type NativeRelay } from "../sandbox/native";
import { connectFirst, relay, type Tunnel } from "./upstream";
import type { ConnectionEvent, ProxyHandle, ProxyOptions, ProxyStats } from "./types";

const defaults = { handshakeMs: 10_000, idleMs: 600_000, connectMs: 10_000, maxHeaderBytes: 64 * 1024 };

function listen(server: Server, target: string | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    const done = (): void => {
      server.off("error", reject);
      resolve();
    };
    if (typeof target === "string") server.listen(target, done);
    else server.listen(target.port, target.host, done);
  });
}

/**
 * Starts an allowlist proxy speaking HTTP CONNECT, plain-HTTP forwarding and SOCKS5
 * on one listener. By default it listens on `proxy.sock` in a new 0700 directory.
 * @throws SafeShError ERR_SAFESH_POLICY_INVALID for a malformed allow/deny/allowPrivate entry or hosts mapping.
 */
export async function startProxy(options: ProxyOptions = {}): Promise<ProxyHandle> {
  const stats: ProxyStats = { active: 0, allowed: 0, denied: 0, bytesUp: 0, bytesDown: 0 };
  const record = (event: ConnectionEvent): void => {
    if (event.decision === "allow") stats.allowed++;
    else stats.denied++;
    stats.bytesUp += event.bytesUp;
    stats.bytesDown += event.bytesDown;
    try {
      options.onConnection?.(event);
    } catch {
      // An audit callback failing must not take the proxy down.
    }
  };
  const t = options.timeouts ?? {};
  const upstreams = new Set<Socket>();
  const tunnels = new Set<Tunnel>();
  // Clients whose fd the relay thread took over: their Node socket closes at once, but
  // the connection stays active until the tunnel ends.
  const spliced = new WeakSet<Socket>();
  // SAFE_SH_PROXY_RELAY=stream keeps every tunnel in JS (tests, debugging).
  let native: NativeRelay | undefined | null = process.env.SAFE_SH_PROXY_RELAY === "stream" ? null : undefined;
  const ctx: ProxyContext = {
    gate: new HostGate(options),
    handshakeMs: t.handshakeMs ?? defaults.handshakeMs,
    idleMs: t.idleMs ?? defaults.idleMs,
    connectMs: t.connectMs ?? defaults.connectMs,
    record,
    connect: async (addresses, port) => {
      const result = await connectFirst(addresses, port, ctx.connectMs);
      upstreams.add(result.socket);
      result.socket.once("close", () => upstreams.delete(result.socket));
      return result;
    },
    tunnel: async (client, upstream, start) => {
      // Loaded on the first tunnel: a proxy that only refuses never pays for it.
      if (native === undefined) native = nativeRelay() ?? null;
      const tunnel = relay(client, upstream, ctx.idleMs, start, native ?? undefined);
      if (tunnel.spliced) spliced.add(client);
      tunnels.add(tunnel);
      try {
        return await tunnel.done;
      } finally {
        tunnels.delete(tunnel);
        if (tunnel.spliced) stats.active--;
      }
    },
  };
  const http = createHttpProxy(ctx, options.maxHeaderBytes ?? defaults.maxHeaderBytes);
  const sockets = new Set<Socket>();

  const dispatch = (socket: Socket): void => {
    const first: Buffer | null = socket.read(1);
    if (first === null) {
      // Nothing yet, or the client hung up before sending a byte ("end" follows this read).
      const onEnd = (): void => void socket.destroy();
      socket.once("end", onEnd);
      socket.once("readable", () => {
        socket.off("end", onEnd);
        dispatch(socket);
      });
      return;
    }
    socket.setTimeout(0);
    socket.unshift(first);
    if (first[0] === 0x05) void handleSocks5(ctx, socket);
    else http.emit("connection", socket);
  };
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    sockets.add(socket);
    stats.active++;
    socket.once("close", () => {
      sockets.delete(socket);
      if (!spliced.has(socket)) stats.active--;
    });
    socket.on("error", () => socket.destroy());
    // A client that never sends a byte is dropped like any stalled handshake.
    socket.setTimeout(ctx.handshakeMs, () => socket.destroy());
    socket.once("readable", () => dispatch(socket));
  });

  const listenOpt = options.listen ?? {};
  let dir: string | undefined;
  let socketPath: string | undefined;
  if ("port" in listenOpt) {
    await listen(server, listenOpt);
  } else {
    // mkdtemp creates the directory 0700: only this user can reach the socket.
    dir = await mkdtemp(join(listenOpt.socketDir ?? tmpdir(), "safe-sh-proxy-"));
    socketPath = join(dir, "proxy.sock");
    await listen(server, socketPath);
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : undefined;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of [...sockets, ...upstreams]) socket.destroy();
      // Spliced tunnels have no Node socket left to destroy: abort them and wait until
      // the relay thread has closed their fds.
      const open = [...tunnels];
      for (const tunnel of open) tunnel.abort();
      await Promise.all([stopped, ...open.map((tunnel) => tunnel.done)]);
      if (dir) await rm(dir, { recursive: true, force: true });
    })());

  return {
    ...(socketPath ? { socketPath } : {}),
    ...(port !== undefined ? { port } : {}),
    close,
    get stats() {
      return { ...stats };
    },
  };
}

/**
 * One proxy per owner, started on first use and shared by concurrent runs:
 * `get()` starts it once (concurrent callers share the start), `close()` stops it,
 * and a later `get()` starts a fresh one.
 */
export function lazyProxy(options: ProxyOptions): { get(): Promise<ProxyHandle>; close(): Promise<void> } {
  let started: Promise<ProxyHandle> | undefined;
  return {
    get() {
      started ??= startProxy(options).catch((err: unknown) => {
        started = undefined;
        throw err;
      });
      return started;
    },
    async close() {
      const current = started;
      started = undefined;
      if (current) await (await current).close();
    },
  };
}
