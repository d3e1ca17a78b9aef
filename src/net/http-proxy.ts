// HTTP side of the proxy: CONNECT tunnels (HTTPS) and plain-HTTP forwarding of
// absolute-form requests, with hop-by-hop and Proxy-* headers stripped.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { finished } from "node:stream/promises";
import { refusalFields, traffic, type ProxyContext } from "./context";
import { denialMessage, type Refused } from "./gate";
import { errorCode } from "./upstream";

const established = Buffer.from("HTTP/1.1 200 Connection Established\r\n\r\n");

/** Response header naming the refused host on every denial. */
export const DENIED_HEADER = "X-Safe-Sh-Denied";

const hopByHop = new Set([
  "connection",
  "keep-alive",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "expect", // Node's server already answered 100-continue to the client
  "host", // replaced by the request target's authority (RFC 9112 §3.2.2)
]);

/** Removes hop-by-hop, Proxy-* and Connection-listed headers from a flat raw header list. */
export function forwardableHeaders(raw: string[]): string[] {
  const listed = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === "connection") raw[i + 1]!.split(",").forEach((n) => listed.add(n.trim().toLowerCase()));
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (hopByHop.has(name) || listed.has(name) || name.startsWith("proxy-")) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** Splits a CONNECT target `host:port` or `[v6]:port`; null when malformed. */
export function parseAuthority(target: string): { host: string; port: number } | null {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(target);
  const port = Number(m?.[2]);
  return m && port >= 1 && port <= 65535 ? { host: m[1]!, port } : null;
}

/** Status line, headers (flat) and body answering a refused or unresolvable destination. */
function refusal(a: Refused, port: number, configFile: string): { status: number; statusText: string; headers: string[]; body: string } {
  const denied = a.outcome === "deny";
  const body = denied ? denialMessage(a, port, configFile) : `safe-sh: could not resolve ${a.host} (${a.error}).\n`;
  const headers = ["Content-Type", "text/plain; charset=utf-8", "Content-Length", String(Buffer.byteLength(body)), "Connection", "close"];
  return denied
    ? { status: 403, statusText: "Forbidden", headers: [DENIED_HEADER, a.host, ...headers], body }
    : { status: 502, statusText: "Bad Gateway", headers, body };
}

async function handleConnect(ctx: ProxyContext, req: IncomingMessage, client: Socket, head: Buffer): Promise<void> {
  const started = Date.now();
  client.on("error", () => client.destroy());
  const target = parseAuthority(req.url ?? "");
  if (!target) {
    client.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    return;
  }
  const a = await ctx.gate.admit(target.host, target.port);
  const base = { host: a.host, port: target.port, protocol: "connect" as const, rule: a.rule };
  if (a.outcome !== "allow") {
    const r = refusal(a, target.port, ctx.gate.configFile);
    let text = `HTTP/1.1 ${r.status} ${r.statusText}\r\n`;
    for (let i = 0; i < r.headers.length; i += 2) text += `${r.headers[i]}: ${r.headers[i + 1]}\r\n`;
    client.end(`${text}\r\n${r.body}`);
    ctx.record({ ...base, ...refusalFields(a), ...traffic(started) });
    return;
  }
  let upstream: Socket;
  let address: string;
  try {
    ({ socket: upstream, address } = await ctx.connect(a.addresses, target.port));
  } catch (err) {
    client.end("HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    ctx.record({ ...base, decision: "allow", ...traffic(started), address: a.addresses[0], error: errorCode(err) });
    return;
  }
  const relayed = await ctx.tunnel(client, upstream, { toClient: established, toUpstream: head });
  ctx.record({ ...base, decision: "allow", ...traffic(started, relayed), address });
}

async function handleRequest(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  let url: URL;
  try {
    url = new URL(req.url ?? "");
    if (url.protocol !== "http:") throw new Error("not http");
  } catch {
    res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" });
    res.end("safe-sh: this is a proxy; send absolute http:// URLs, or CONNECT host:port for anything else.\n");
    return;
  }
  const port = url.port === "" ? 80 : Number(url.port);
  const a = await ctx.gate.admit(url.hostname, port);
  const base = { host: a.host, port, protocol: "http" as const, rule: a.rule };
  if (a.outcome !== "allow") {
    const r = refusal(a, port, ctx.gate.configFile);
    res.writeHead(r.status, r.statusText, r.headers);
    res.end(r.body);
    ctx.record({ ...base, ...refusalFields(a), ...traffic(started) });
    return;
  }
  let upstream: Socket;
  let address: string;
  try {
    ({ socket: upstream, address } = await ctx.connect(a.addresses, port));
  } catch (err) {
    res.writeHead(502, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
    res.end(`safe-sh: could not connect to ${a.host}:${port} (${errorCode(err)}).\n`);
    ctx.record({ ...base, decision: "allow", ...traffic(started), address: a.addresses[0], error: errorCode(err) });
    return;
  }
  upstream.setTimeout(ctx.idleMs, () => upstream.destroy(new Error("idle timeout")));
  let error: string | undefined;
  const forward = request({
    method: req.method,
    path: `${url.pathname}${url.search}`,
    headers: ["Host", url.host, ...forwardableHeaders(req.rawHeaders)],
    // No agent: with createConnection alone, Node uses exactly this pinned socket.
    createConnection: () => upstream,
  });
  forward.on("response", (up) => {
    res.writeHead(up.statusCode ?? 502, up.statusMessage, forwardableHeaders(up.rawHeaders));
    up.pipe(res);
  });
  forward.on("error", (err) => {
    error = errorCode(err);
    if (!res.headersSent) {
      res.writeHead(502, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
      res.end(`safe-sh: ${a.host}:${port} failed (${error}).\n`);
    } else res.destroy();
  });
  req.pipe(forward);
  // finished() also settles for a response whose client already went away.
  await finished(res).catch(() => undefined);
  upstream.destroy();
  ctx.record({ ...base, decision: "allow", ...traffic(started, { bytesUp: upstream.bytesWritten, bytesDown: upstream.bytesRead }), address, ...(error ? { error } : {}) });
}

/**
 * The HTTP half of the proxy. Sockets are handed to it with `emit("connection")`
 * by the server that sniffs the first byte; it never listens itself.
 */
export function createHttpProxy(ctx: ProxyContext, maxHeaderBytes: number): Server {
  const server = createServer({ maxHeaderSize: maxHeaderBytes, requestTimeout: 0, headersTimeout: ctx.handshakeMs });
  server.setTimeout(ctx.idleMs);
  server.on("connect", (req: IncomingMessage, socket: Socket, head: Buffer) => void handleConnect(ctx, req, socket, head));
  server.on("request", (req, res) => void handleRequest(ctx, req, res));
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    const status = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });
  return server;
}
