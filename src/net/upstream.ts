// Destination side of the proxy: connect to the exact checked addresses (never a
// name, so DNS cannot change between check and use) and relay a tunnel both ways,
// in the kernel (splice, the addon's relay thread) or with stream pipes.
import { connect, type Socket } from "node:net";
import type { NativeRelay } from "../sandbox/native";

/**
 * Connects to the first address that accepts, in order, each attempt bounded by
 * `timeoutMs`. Rejects with the last attempt's error.
 */
export async function connectFirst(addresses: string[], port: number, timeoutMs: number): Promise<{ socket: Socket; address: string }> {
  let lastError: Error = new Error("no address to connect to");
  for (const address of addresses) {
    try {
      return { socket: await connectOne(address, port, timeoutMs), address };
    } catch (err) {
      lastError = err as Error;
    }
  }
  throw lastError;
}

function connectOne(address: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port, allowHalfOpen: true, noDelay: true });
    const fail = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(Object.assign(new Error(`connect ${address}:${port} timed out`), { code: "ETIMEDOUT" })), timeoutMs);
    socket.once("error", (err) => {
      clearTimeout(timer);
      fail(err);
    });
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      resolve(socket);
    });
  });
}

/** A short error name for events and replies: the errno code when there is one. */
export function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException)?.code ?? (err instanceof Error ? err.message : String(err));
}

/** Bytes owed before the relayed stream: the proxy's reply to the client, the CONNECT head or early SOCKS5 bytes to the upstream. */
export interface TunnelStart {
  toClient: Buffer;
  toUpstream: Buffer;
}

/** Bytes sent to / received from the destination, for the audit event. */
export interface Relayed {
  bytesUp: number;
  bytesDown: number;
}

/** A running tunnel: `done` settles when both sides are closed; `abort` closes both now. */
export interface Tunnel {
  readonly spliced: boolean;
  readonly done: Promise<Relayed>;
  abort(): void;
}

/**
 * Relays a tunnel both ways until both sides are closed; a FIN is passed on (half-close),
 * an error on either side or `idleMs` without traffic closes both. With the addon's relay
 * thread the bytes move by splice(2) and never enter JS; without it, by stream pipes.
 */
export function relay(client: Socket, upstream: Socket, idleMs: number, start: TunnelStart, native?: NativeRelay): Tunnel {
  return (native && splice(native, client, upstream, idleMs, start)) || pipeBoth(client, upstream, idleMs, start);
}

/** What Node already read from a socket and holds in its buffer (bounded: read() returns it all at once). */
function takeBuffered(socket: Socket): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < 16 && socket.readableLength > 0; i++) {
    const chunk = socket.read() as Buffer | null;
    if (chunk === null) break;
    chunks.push(chunk);
  }
  return chunks;
}

function socketFd(socket: Socket): number {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === "number" ? fd : -1;
}

/**
 * Hands both sockets to the relay thread: it takes duplicates of their fds, then the Node
 * sockets are destroyed without being ended (closing Node's copy sends nothing; the
 * connection lives on in the duplicate). Undefined when the sockets cannot be handed over.
 */
function splice(native: NativeRelay, client: Socket, upstream: Socket, idleMs: number, start: TunnelStart): Tunnel | undefined {
  const clientFd = socketFd(client);
  const upstreamFd = socketFd(upstream);
  // Bytes queued for writing would be lost by destroy(); such sockets stay with JS.
  if (clientFd < 0 || upstreamFd < 0 || client.destroyed || upstream.destroyed || client.writableLength > 0 || upstream.writableLength > 0) {
    return undefined;
  }
  // Bytes Node already read go first, in order: nothing read is lost by the handover.
  const toClient = Buffer.concat([start.toClient, ...takeBuffered(upstream)]);
  const toUpstream = Buffer.concat([start.toUpstream, ...takeBuffered(client)]);
  const sentBefore = upstream.bytesWritten;
  const readBefore = upstream.bytesRead;
  let settle!: (relayed: Relayed) => void;
  const done = new Promise<Relayed>((resolve) => (settle = resolve));
  let id: number;
  try {
    id = native.relayStart({ client: clientFd, upstream: upstreamFd, toClient, toUpstream, idleMs }, (result) => {
      settle({ bytesUp: sentBefore + result.upWritten, bytesDown: readBefore + result.downRead });
    });
  } catch {
    // Out of fds or pipes: relay in JS instead, owing exactly the bytes just taken.
    return pipeBoth(client, upstream, idleMs, { toClient, toUpstream });
  }
  client.destroy();
  upstream.destroy();
  return { spliced: true, done, abort: () => native.relayAbort(id) };
}

function pipeBoth(client: Socket, upstream: Socket, idleMs: number, start: TunnelStart): Tunnel {
  const destroyBoth = (): void => {
    client.destroy();
    upstream.destroy();
  };
  const done = new Promise<Relayed>((resolve) => {
    let open = 2;
    const closed = (): void => {
      if (--open === 0) resolve({ bytesUp: upstream.bytesWritten, bytesDown: upstream.bytesRead });
    };
    for (const socket of [client, upstream]) {
      socket.setTimeout(idleMs, destroyBoth);
      socket.on("error", destroyBoth);
      // It may have closed while the destination was being connected.
      if (socket.closed) closed();
      else socket.once("close", closed);
    }
  });
  if (client.destroyed || upstream.destroyed) destroyBoth();
  else {
    if (start.toClient.length > 0) client.write(start.toClient);
    if (start.toUpstream.length > 0) upstream.write(start.toUpstream);
  }
  // A socket closes by itself once both its directions ended (autoDestroy) or when
  // destroyed; the peer then finishes writing what it holds and closes too.
  client.once("close", () => upstream.destroySoon());
  upstream.once("close", () => client.destroySoon());
  client.pipe(upstream);
  upstream.pipe(client);
  return { spliced: false, done, abort: destroyBoth };
}
