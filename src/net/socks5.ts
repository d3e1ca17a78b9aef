// SOCKS5 side of the proxy (RFC 1928): no-auth method, CONNECT only, address
// types domain name, IPv4 and IPv6; denials answer 0x02 "not allowed by ruleset".
import type { Socket } from "node:net";
import { refusalFields, traffic, type ProxyContext } from "./context";
import { errorCode } from "./upstream";

/** RFC 1928 reply codes used here. */
export const SocksReply = {
  succeeded: 0x00,
  generalFailure: 0x01,
  notAllowed: 0x02,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;

type Parsed<T> = { value: T; consumed: number } | null;

/** Parses the greeting; value is true when the client offers "no authentication" (0x00). */
export function parseGreeting(buf: Buffer): Parsed<boolean> {
  if (buf.length < 2) return null;
  const count = buf[1]!;
  if (buf.length < 2 + count) return null;
  return { value: buf.subarray(2, 2 + count).includes(0x00), consumed: 2 + count };
}

/** A parsed request: the destination, or the reply code refusing it. */
export type SocksRequest = { host: string; port: number } | { error: number };

/** Parses a request (VER CMD RSV ATYP DST.ADDR DST.PORT); null while incomplete. */
export function parseRequest(buf: Buffer): Parsed<SocksRequest> {
  if (buf.length < 5) return null;
  const [version, command, , type] = buf;
  if (version !== 0x05) return { value: { error: SocksReply.generalFailure }, consumed: buf.length };
  let host: string;
  let end: number;
  if (type === 0x01) {
    end = 4 + 4;
    if (buf.length < end + 2) return null;
    host = Array.from(buf.subarray(4, end)).join(".");
  } else if (type === 0x03) {
    end = 5 + buf[4]!;
    if (buf.length < end + 2) return null;
    host = buf.subarray(5, end).toString("utf8");
  } else if (type === 0x04) {
    end = 4 + 16;
    if (buf.length < end + 2) return null;
    const groups: string[] = [];
    for (let i = 4; i < end; i += 2) groups.push(buf.readUInt16BE(i).toString(16));
    host = `[${groups.join(":")}]`;
  } else {
    return { value: { error: SocksReply.addressTypeNotSupported }, consumed: buf.length };
  }
  const consumed = end + 2;
  if (command !== 0x01) return { value: { error: SocksReply.commandNotSupported }, consumed };
  return { value: { host, port: buf.readUInt16BE(end) }, consumed };
}

/** A reply with the bound address left as 0.0.0.0:0 (clients do not use it for CONNECT). */
export function socksReply(code: number): Buffer {
  return Buffer.from([0x05, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
}

/** Collects handshake bytes until a parser is satisfied; fails on close, overflow or deadline. */
class HandshakeReader {
  private buf = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private closed = false;
  private readonly onData = (chunk: Buffer): void => {
    this.buf = Buffer.concat([this.buf, chunk]);
    if (this.buf.length > 1024) this.socket.destroy(); // no valid handshake is this long
    this.wake?.();
  };
  private readonly onClose = (): void => {
    this.closed = true;
    this.wake?.();
  };

  constructor(private readonly socket: Socket) {
    socket.on("data", this.onData);
    socket.once("close", this.onClose);
    socket.resume();
  }

  /** Resolves with the parsed value, or null when the socket closed first. */
  async read<T>(parse: (buf: Buffer) => Parsed<T>): Promise<T | null> {
    for (;;) {
      const parsed = parse(this.buf);
      if (parsed) {
        this.buf = this.buf.subarray(parsed.consumed);
        return parsed.value;
      }
      if (this.closed || this.socket.destroyed) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /** Stops reading and returns bytes the client already sent past the handshake. */
  detach(): Buffer {
    this.socket.pause();
    this.socket.off("data", this.onData);
    this.socket.off("close", this.onClose);
    return this.buf;
  }
}

/** Runs one SOCKS5 session on a client socket whose first byte is 0x05. */
export async function handleSocks5(ctx: ProxyContext, client: Socket): Promise<void> {
  client.on("error", () => client.destroy());
  const deadline = setTimeout(() => client.destroy(), ctx.handshakeMs);
  const reader = new HandshakeReader(client);
  const noAuth = await reader.read(parseGreeting);
  if (noAuth !== true) {
    clearTimeout(deadline);
    if (noAuth === false) client.end(Buffer.from([0x05, 0xff])); // no acceptable method
    return;
  }
  client.write(Buffer.from([0x05, 0x00]));
  const req = await reader.read(parseRequest);
  clearTimeout(deadline);
  if (!req) return;
  if ("error" in req) {
    client.end(socksReply(req.error));
    return;
  }
  const started = Date.now();
  const a = await ctx.gate.admit(req.host, req.port);
  const base = { host: a.host, port: req.port, protocol: "socks5" as const, rule: a.rule };
  if (a.outcome !== "allow") {
    client.end(socksReply(a.outcome === "deny" ? SocksReply.notAllowed : SocksReply.hostUnreachable));
    ctx.record({ ...base, ...refusalFields(a), ...traffic(started) });
    return;
  }
  let upstream: Socket;
  let address: string;
  try {
    ({ socket: upstream, address } = await ctx.connect(a.addresses, req.port));
  } catch (err) {
    const code = errorCode(err);
    client.end(socksReply(code === "ECONNREFUSED" ? SocksReply.connectionRefused : SocksReply.hostUnreachable));
    ctx.record({ ...base, decision: "allow", ...traffic(started), address: a.addresses[0], error: code });
    return;
  }
  const early = reader.detach();
  const relayed = await ctx.tunnel(client, upstream, { toClient: socksReply(SocksReply.succeeded), toUpstream: early });
  ctx.record({ ...base, decision: "allow", ...traffic(started, relayed), address });
}
