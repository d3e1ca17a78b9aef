// Network confinement: with network "none" no socket can be made (seccomp
// EPERM on socket(2), Landlock TCP denied as well); "full" allows TCP/UDP only.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tryBinary } from "../helpers/build";
import { canConfine } from "../helpers/gate";
import { TEST_TMP_BASE, removeTempDirs, tempDir, tryConfined, tryUnconfined } from "../helpers/sandbox";

// socket(2) itself is refused by the seccomp filter, for every family.
const SOCKET_DENIED = "EPERM";

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

  describe("with network none", () => {
    it("is refused a TCP connection to 127.0.0.1 (EPERM)", async () => {
      expect(await tryConfined(workspace, ["tcp-connect", "127.0.0.1", String(port4)])).toMatchObject({ result: SOCKET_DENIED, exitCode: 1 });
    });

    it.runIf(HAS_IPV6_LOOPBACK)("is refused a TCP connection to ::1 (EPERM)", async () => {
      expect(await tryConfined(workspace, ["tcp-connect", "::1", String(port6)])).toMatchObject({ result: SOCKET_DENIED, exitCode: 1 });
    });

    it("is refused sending a UDP datagram to 127.0.0.1 (EPERM)", async () => {
      expect(await tryConfined(workspace, ["udp-send", "127.0.0.1", String(port4)])).toMatchObject({ result: SOCKET_DENIED, exitCode: 1 });
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

  it("refuse a pathname socket connection (EPERM)", async () => {
    expect(await tryConfined(workspace, ["unix-connect", socketPath])).toMatchObject({ result: SOCKET_DENIED, exitCode: 1 });
  });

  it("refuse an abstract socket connection (EPERM)", async () => {
    expect(await tryConfined(workspace, ["abstract-connect", abstractName])).toMatchObject({ result: SOCKET_DENIED, exitCode: 1 });
  });

  it("refuse a pathname socket connection even with network full (EPERM)", async () => {
    expect(await tryConfined(workspace, ["unix-connect", socketPath], { network: "full" })).toMatchObject({ result: SOCKET_DENIED, exitCode: 1 });
  });

  it("refuse an abstract socket connection even with network full (EPERM)", async () => {
    expect(await tryConfined(workspace, ["abstract-connect", abstractName], { network: "full" })).toMatchObject({ result: SOCKET_DENIED, exitCode: 1 });
  });
});
