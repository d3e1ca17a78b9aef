// Misbehaving clients and callbacks: bounded headers, stalled handshakes, garbage,
// throwing callbacks and approvers; the proxy keeps serving afterwards.
import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxy, type ProxyHandle } from "../../src/net";
import { curl, startOrigin, stop } from "./helpers";

let origin: Awaited<ReturnType<typeof startOrigin>>;
let handle: ProxyHandle;
const asked: string[] = [];
let release: () => void = () => undefined;
const approved = new Promise<void>((resolve) => (release = resolve));

beforeAll(async () => {
  origin = await startOrigin();
  handle = await startProxy({
    allow: ["allowed.test"],
    hosts: { "allowed.test": "127.0.0.1", "slow.test": "127.0.0.1", "broken.test": "127.0.0.1" },
    allowPrivate: ["allowed.test", "slow.test"],
    listen: { host: "127.0.0.1", port: 0 },
    timeouts: { handshakeMs: 300 },
    onConnection: () => {
      throw new Error("audit sink failed");
    },
    ask: async (host) => {
      asked.push(host);
      if (host === "broken.test") throw new Error("approver crashed");
      await approved;
      return "once";
    },
  });
});
afterAll(async () => {
  await handle.close();
  await stop(origin.server);
});

/** Writes raw bytes and returns what the proxy sent back before closing (bounded to 3 s). */
function raw(data: string | Buffer, end = false): Promise<{ text: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(handle.port!, "127.0.0.1");
    let text = "";
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on("connect", () => (end ? socket.end(data) : socket.write(data)));
    socket.on("data", (d) => (text += d.toString("latin1")));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ text, ms: Date.now() - started });
    });
  });
}

const works = async (): Promise<void> => {
  const r = await curl(["-x", `http://127.0.0.1:${handle.port}`, `http://allowed.test:${origin.port}/still`]);
  expect(r.stdout).toBe("origin:/still");
};

describe("robustness", () => {
  it("answers 431 to a request head over 64 KiB, then keeps serving", async () => {
    const r = await raw(`GET http://allowed.test:${origin.port}/ HTTP/1.1\r\nX-Big: ${"a".repeat(70_000)}\r\n\r\n`);
    expect(r.text).toMatch(/^HTTP\/1\.1 431 /);
    await works();
  });

  it("drops a client that connects and sends nothing, or stalls in SOCKS5 negotiation", async () => {
    const silent = await raw("");
    expect(silent.text).toBe("");
    expect(silent.ms).toBeLessThan(2500);
    const stalled = await raw(Buffer.from([5, 1, 0]));
    expect([...Buffer.from(stalled.text, "latin1")]).toEqual([5, 0]);
    expect(stalled.ms).toBeLessThan(2500);
  });

  it("closes its side when a client hangs up before sending anything", async () => {
    const socket = connect(handle.port!, "127.0.0.1");
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.on("connect", () => socket.end());
    await closed;
    for (let i = 0; i < 50 && handle.stats.active > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(handle.stats.active).toBe(0);
  });

  it("answers garbage with 400 and survives a throwing onConnection", async () => {
    const r = await raw("\x16\x03\x01 not http at all\r\n\r\n");
    expect(r.text).toMatch(/^HTTP\/1\.1 400 /);
    await works();
  });

  it("treats a failing approver as deny", async () => {
    const r = await curl(["-x", `http://127.0.0.1:${handle.port}`, "-o", "/dev/null", "-w", "%{http_code}", `http://broken.test:${origin.port}/`]);
    expect(r.stdout).toBe("403");
  });

  it("asks once for concurrent connections to the same destination", async () => {
    const before = asked.length;
    const fetchVia = (): Promise<string> =>
      new Promise((resolve) => {
        const req = request({ host: "127.0.0.1", port: handle.port, path: `http://slow.test:${origin.port}/`, agent: false }, (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve(body));
        });
        req.on("error", () => resolve("error"));
        req.end();
      });
    const results = Promise.all([1, 2, 3].map(fetchVia));
    // All three requests are in the proxy before the approver answers.
    for (let i = 0; i < 200 && handle.stats.active < 3; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    release();
    expect(await results).toEqual(Array(3).fill("origin:/"));
    expect(asked.slice(before)).toEqual(["slow.test"]);
  });
});
