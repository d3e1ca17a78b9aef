// Destination side of the proxy: connect to the exact checked addresses (never a
// name, so DNS cannot change between check and use) and relay a tunnel both ways.
import { connect, type Socket } from "node:net";

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

/**
 * Relays bytes both ways until both sockets are closed; a FIN is passed on (half-close).
 * An error or `idleMs` without traffic on either socket destroys both.
 */
export function relay(client: Socket, upstream: Socket, idleMs: number): Promise<void> {
  return new Promise((resolve) => {
    let open = 2;
    const done = (): void => {
      if (--open === 0) resolve();
    };
    const destroyBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.setTimeout(idleMs, destroyBoth);
      socket.on("error", destroyBoth);
      socket.once("close", done);
    }
    // A socket closes by itself once both its directions ended (autoDestroy) or when
    // destroyed; the peer then finishes writing what it holds and closes too.
    client.once("close", () => upstream.destroySoon());
    upstream.once("close", () => client.destroySoon());
    client.pipe(upstream);
    upstream.pipe(client);
  });
}
