// Local servers and a curl runner for the proxy tests; everything binds to 127.0.0.1.
import { execFile } from "node:child_process";
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
