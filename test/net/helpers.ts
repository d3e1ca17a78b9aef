// Local servers and a curl runner for the proxy tests; everything binds to 127.0.0.1.
import { execFile, spawn } from "node:child_process";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server } from "node:net";

/** An HTTP origin that answers `origin:<path>` and echoes POST bodies' length. */
export async function startOrigin(): Promise<{ port: number; server: HttpServer; seen: { headers: Record<string, unknown>[] } }> {
  const seen = { headers: [] as Record<string, unknown>[] };
  const server = createHttpServer((req, res) => {
    seen.headers.push({ ...req.headers });
    let length = 0;
    req.on("data", (chunk: Buffer) => (length += chunk.length));
    req.on("end", () => {
      res.setHeader("Connection", "close");
      res.setHeader("X-Origin", "yes");
      res.end(req.method === "POST" ? `received ${length}` : `origin:${req.url}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, server, seen };
}

/** A TCP server that echoes whatever it receives. */
export async function startEcho(): Promise<{ port: number; server: Server }> {
  const server = createTcpServer((socket) => {
    socket.on("error", () => socket.destroy());
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

/** Closes servers the test started, dropping their open connections. */
export async function stop(...servers: (Server | HttpServer)[]): Promise<void> {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          if ("closeAllConnections" in s) s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
}

export interface CurlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real curl with no proxy variables from the environment and a hard time limit. */
export function curl(args: string[]): Promise<CurlResult> {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
  return new Promise((resolve) => {
    execFile("curl", ["-sS", "--max-time", "5", "--noproxy", "", ...args], { env, timeout: 10_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Serves the bare repositories under `root` over smart HTTP through git http-backend (CGI). */
export function gitHttpBackend(root: string): HttpServer {
  return createHttpServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://origin");
    const cgi = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        REQUEST_METHOD: req.method,
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        REMOTE_ADDR: "127.0.0.1",
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let parsed = false;
    cgi.stdout.on("data", (chunk: Buffer) => {
      if (parsed) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      parsed = true;
      for (const line of head.subarray(0, end).toString().split("\r\n")) {
        const [name, ...rest] = line.split(":");
        if (name!.toLowerCase() === "status") res.statusCode = parseInt(rest.join(":"), 10);
        else res.setHeader(name!, rest.join(":").trim());
      }
      res.write(head.subarray(end + 4));
    });
    cgi.on("close", () => res.end());
  });
}
