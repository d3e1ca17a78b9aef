// Network confinement: with network "none" the command has a net namespace
// with only its own lo (test servers work, the host's loopback is another
// stack); "full" is the host's network. Unix sockets work among the sandbox's
// own processes; every host socket is masked or out of reach.
import { spawn, type ChildProcess } from "node:child_process";
import * as dgram from "node:dgram";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tryBinary } from "../helpers/build";
import { canConfine, kernelFacts } from "../helpers/gate";
import { TEST_TMP_BASE, confined, removeTempDirs, tempDir, tryConfined, tryUnconfined } from "../helpers/sandbox";

// A server and a client in one node process: listens (on argv[2]:argv[3],
// port 0 when absent), connects, prints what came back.
const LOOPBACK_ECHO = `
const net = require("node:net");
const server = net.createServer((s) => s.pipe(s)).listen(Number(process.argv[2] ?? 0), process.argv[1], () => {
  const c = net.connect(server.address().port, process.argv[1], () => c.end("ping"));
  let got = ""; c.on("data", (d) => (got += d)); c.on("end", () => { console.log("echo: " + got); server.close(); });
});`;
// The same over a pathname Unix socket at argv[1].
const UNIX_ECHO = `
const net = require("node:net");
const server = net.createServer((s) => s.pipe(s)).listen(process.argv[1], () => {
  const c = net.connect(process.argv[1], () => c.end("ping"));
  let got = ""; c.on("data", (d) => (got += d)); c.on("end", () => { console.log("echo: " + got); server.close(); });
});`;

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

function listen(server: net.Server, ...args: unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(...(args as []), () => resolve());
  });
}

const HAS_IPV6_LOOPBACK = Object.values(os.networkInterfaces()).some((addrs) => addrs?.some((a) => a.family === "IPv6" && a.address === "::1"));

describe.runIf(canConfine())("the network", () => {
  const servers: net.Server[] = [];
  let port4: number;
  let port6: number;
  let workspace: string;

  beforeAll(async () => {
    const v4 = net.createServer((socket) => socket.end());
    servers.push(v4);
    await listen(v4, 0, "127.0.0.1");
    port4 = (v4.address() as net.AddressInfo).port;
    if (HAS_IPV6_LOOPBACK) {
      const v6 = net.createServer((socket) => socket.end());
      servers.push(v6);
      await listen(v6, 0, "::1");
      port6 = (v6.address() as net.AddressInfo).port;
    }
  });
  afterAll(() => {
    for (const server of servers) server.close();
  });
  beforeEach(() => {
    workspace = tempDir("ws");
  });
  afterEach(removeTempDirs);

  describe("outside the sandbox (the probe's own baseline)", () => {
    it("connects to the IPv4 loopback listener", () => {
      expect(tryUnconfined(["tcp-connect", "127.0.0.1", String(port4)]).result).toBe("OK");
    });
  });

  describe("with network none (a net namespace with only its own lo)", () => {
    it("serves and connects over TCP on its own 127.0.0.1", async () => {
      const run = await confined(workspace, [process.execPath, "-e", LOOPBACK_ECHO, "127.0.0.1"]);
      expect(run).toMatchObject({ exitCode: 0, stdout: "echo: ping\n" });
    });

    it("can't reach the host's 127.0.0.1 listener (ECONNREFUSED), whose port is free inside", async () => {
      expect(await tryConfined(workspace, ["tcp-connect", "127.0.0.1", String(port4)])).toMatchObject({ result: "ECONNREFUSED", exitCode: 1 });
      // The same port number can be bound inside: another network stack, not a refused port.
      const run = await confined(workspace, [process.execPath, "-e", LOOPBACK_ECHO, "127.0.0.1", String(port4)]);
      expect(run).toMatchObject({ exitCode: 0, stdout: "echo: ping\n" });
    });

    it.runIf(HAS_IPV6_LOOPBACK)("can't reach the host's ::1 listener (ECONNREFUSED)", async () => {
      expect(await tryConfined(workspace, ["tcp-connect", "::1", String(port6)])).toMatchObject({ result: "ECONNREFUSED", exitCode: 1 });
    });

    it("sends UDP only inside: a datagram to 127.0.0.1 never reaches the host's socket", async () => {
      const host = dgram.createSocket("udp4");
      const received: Buffer[] = [];
      host.on("message", (message) => received.push(message));
      await new Promise<void>((resolve) => host.bind(0, "127.0.0.1", resolve));
      const udpPort = String(host.address().port);
      try {
        expect(tryUnconfined(["udp-send", "127.0.0.1", udpPort]).result).toBe("OK");
        await waitFor(() => received.length === 1);
        expect(await tryConfined(workspace, ["udp-send", "127.0.0.1", udpPort])).toMatchObject({ result: "OK", exitCode: 0 });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(received).toHaveLength(1);
      } finally {
        host.close();
      }
    });

    it("still makes a socketpair for its own pipes", async () => {
      expect(await tryConfined(workspace, ["socketpair"])).toMatchObject({ result: "OK", exitCode: 0 });
    });
  });

  describe("with network full", () => {
    it("connects over TCP to 127.0.0.1", async () => {
      expect(await tryConfined(workspace, ["tcp-connect", "127.0.0.1", String(port4)], { network: "full" })).toMatchObject({ result: "OK", exitCode: 0 });
    });

    it.runIf(HAS_IPV6_LOOPBACK)("connects over TCP to ::1", async () => {
      expect(await tryConfined(workspace, ["tcp-connect", "::1", String(port6)], { network: "full" })).toMatchObject({ result: "OK", exitCode: 0 });
    });

    it("sends a UDP datagram to 127.0.0.1", async () => {
      expect(await tryConfined(workspace, ["udp-send", "127.0.0.1", String(port4)], { network: "full" })).toMatchObject({ result: "OK", exitCode: 0 });
    });
  });
});

describe.runIf(canConfine())("Unix sockets outside the sandbox", () => {
  let outside: string;
  let socketPath: string;
  let pathServer: net.Server;
  let abstractName: string;
  let abstractListener: ChildProcess;
  let workspace: string;

  beforeAll(async () => {
    outside = fs.realpathSync(fs.mkdtempSync(path.join(TEST_TMP_BASE, "safe-sh-test-sock-")));
    socketPath = path.join(outside, "daemon.sock");
    pathServer = net.createServer((socket) => socket.end());
    await listen(pathServer, socketPath);
    // Node pads abstract names to the full sun_path; the probe's own listener doesn't.
    abstractName = `safe-sh-test-${process.pid}-${Date.now()}`;
    abstractListener = spawn(tryBinary(), ["abstract-listen", abstractName], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("abstract listener not ready")), 5_000);
      abstractListener.stdout!.once("data", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  });
  afterAll(() => {
    pathServer?.close();
    if (abstractListener?.pid !== undefined) process.kill(abstractListener.pid, "SIGKILL");
    fs.rmSync(outside, { recursive: true, force: true });
  });
  beforeEach(() => {
    workspace = tempDir("ws");
  });
  afterEach(removeTempDirs);

  it("are reachable without the sandbox (baseline)", () => {
    expect(tryUnconfined(["unix-connect", socketPath]).result).toBe("OK");
    expect(tryUnconfined(["abstract-connect", abstractName]).result).toBe("OK");
  });

  it("connect among the sandbox's own processes", async () => {
    const run = await confined(workspace, [process.execPath, "-e", UNIX_ECHO, path.join(workspace, "own.sock")]);
    expect(run).toMatchObject({ exitCode: 0, stdout: "echo: ping\n" });
  });

  it("refuse a host pathname socket: it is masked (EACCES)", async () => {
    expect(await tryConfined(workspace, ["unix-connect", socketPath])).toMatchObject({ result: "EACCES", exitCode: 1 });
  });

  it("refuse a host abstract socket: another net namespace's (ECONNREFUSED)", async () => {
    expect(await tryConfined(workspace, ["abstract-connect", abstractName])).toMatchObject({ result: "ECONNREFUSED", exitCode: 1 });
  });

  it("refuse a host pathname socket even with network full (EACCES)", async () => {
    expect(await tryConfined(workspace, ["unix-connect", socketPath], { network: "full" })).toMatchObject({ result: "EACCES", exitCode: 1 });
  });

  it("stay denied altogether (EPERM) while a host socket is bound to a name that can't be masked", async () => {
    // A relative name in /proc/net/unix can't be resolved to a path to mask: fail closed.
    const holder = spawn(process.execPath, ["-e", 'require("node:net").createServer().listen("relative.sock", () => console.log("ready"))'], { cwd: outside, stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve) => holder.stdout!.once("data", () => resolve()));
      const run = await confined(workspace, [process.execPath, "-e", UNIX_ECHO, path.join(workspace, "own.sock")]);
      expect(run.exitCode).not.toBe(0);
      expect(run.stderr).toContain("EPERM");
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it.runIf(kernelFacts().landlockAbi >= 6)("refuse a host abstract socket with network full: Landlock's scope (EPERM)", async () => {
    expect(await tryConfined(workspace, ["abstract-connect", abstractName], { network: "full" })).toMatchObject({ result: "EPERM", exitCode: 1 });
  });
});
