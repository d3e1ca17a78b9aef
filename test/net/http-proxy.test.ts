// Real curl through the proxy (plain HTTP forwarding and CONNECT tunnels) against
// local servers; every test host maps to 127.0.0.1 through the static hosts option.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { Server as HttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxy, type ConnectionEvent, type ProxyHandle, type ProxyOptions } from "../../src/net";
import { curl, startOrigin, stop } from "./helpers";

let origin: { port: number; server: HttpServer; seen: { headers: Record<string, unknown>[] } };
const handles: ProxyHandle[] = [];

beforeAll(async () => {
  origin = await startOrigin();
});
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
  await stop(origin.server);
});

const testHosts = ["allowed.test", "a.wild.test", "wild.test", "denied.wild.test", "unknown.test", "rebind.test", "b.allowed.test"];

/** A TCP proxy whose test names map to loopback, which is allowed for those names only. */
async function proxy(options: ProxyOptions): Promise<{ url: string; events: ConnectionEvent[] }> {
  const events: ConnectionEvent[] = [];
  const hosts = Object.fromEntries(testHosts.map((h) => [h, "127.0.0.1"]));
  const handle = await startProxy({
    hosts,
    allowPrivate: testHosts.filter((h) => h !== "rebind.test"),
    onConnection: (e) => events.push(e),
    listen: { host: "127.0.0.1", port: 0 },
    ...options,
  });
  handles.push(handle);
  return { url: `http://127.0.0.1:${handle.port}`, events };
}

/** Waits (bounded) until the proxy has reported `count` finished connections. */
async function settled(events: ConnectionEvent[], count: number): Promise<void> {
  for (let i = 0; i < 100 && events.length < count; i++) await new Promise((r) => setTimeout(r, 20));
}

describe("plain HTTP forwarding", () => {
  it("forwards an allowed exact host and strips Proxy-* and hop-by-hop headers", async () => {
    const { url, events } = await proxy({ allow: ["allowed.test"] });
    const r = await curl(["-x", url, "-H", "Proxy-Authorization: Basic Zm9vOmJhcg==", "-H", "Keep-Alive: 5", `http://allowed.test:${origin.port}/hello?x=1`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("origin:/hello?x=1");
    const seen = origin.seen.headers.at(-1)!;
    expect(seen["host"]).toBe(`allowed.test:${origin.port}`);
    expect(seen["proxy-authorization"]).toBeUndefined();
    expect(seen["proxy-connection"]).toBeUndefined();
    expect(seen["keep-alive"]).toBeUndefined();
    await settled(events, 1);
    expect(events[0]).toMatchObject({ host: "allowed.test", port: origin.port, protocol: "http", decision: "allow", rule: "allowed.test", address: "127.0.0.1" });
    expect(events[0]!.bytesUp).toBeGreaterThan(0);
    expect(events[0]!.bytesDown).toBeGreaterThan("origin:/hello?x=1".length);
  });

  it("streams a request body to the origin", async () => {
    const { url } = await proxy({ allow: ["allowed.test"] });
    const dir = await mkdtemp(join(tmpdir(), "safe-sh-net-"));
    await writeFile(join(dir, "body"), Buffer.alloc(2_000_000, 120));
    const r = await curl(["-x", url, "--data-binary", `@${join(dir, "body")}`, `http://allowed.test:${origin.port}/up`]);
    await rm(dir, { recursive: true });
    expect(r.stdout).toBe("received 2000000");
  });

  it("refuses an unknown host with 403, the denial header and a body saying how to allow it", async () => {
    // The body names the config file the rules came from, not a guess.
    const { url, events } = await proxy({ allow: ["allowed.test"], configFile: "/srv/team/safe-sh.toml" });
    const r = await curl(["-x", url, "-D", "-", `http://unknown.test:${origin.port}/`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 403 /);
    expect(r.stdout).toMatch(/^X-Safe-Sh-Denied: unknown\.test\r$/m);
    expect(r.stdout).toContain('add "unknown.test" to [network] allow in /srv/team/safe-sh.toml');
    await settled(events, 1);
    expect(events[0]).toMatchObject({ host: "unknown.test", decision: "deny", rule: "default", bytesUp: 0, bytesDown: 0 });
  });

  it("matches *.example subdomains but not the apex", async () => {
    const { url } = await proxy({ allow: ["*.wild.test"] });
    const sub = await curl(["-x", url, `http://a.wild.test:${origin.port}/`]);
    const apex = await curl(["-x", url, "-o", "/dev/null", "-w", "%{http_code}", `http://wild.test:${origin.port}/`]);
    expect(sub.stdout).toBe("origin:/");
    expect(apex.stdout).toBe("403");
  });

  it("lets a deny entry win over an allow entry", async () => {
    const { url, events } = await proxy({ allow: ["*.wild.test"], deny: ["denied.wild.test"] });
    const r = await curl(["-x", url, "-w", "%{http_code}", "-o", "/dev/null", `http://denied.wild.test:${origin.port}/`]);
    expect(r.stdout).toBe("403");
    await settled(events, 1);
    expect(events[0]).toMatchObject({ decision: "deny", rule: "denied.wild.test" });
  });

  it("honours port rules", async () => {
    const { url } = await proxy({ allow: [`allowed.test:${origin.port}`, "b.allowed.test:1"] });
    const right = await curl(["-x", url, `http://allowed.test:${origin.port}/`]);
    const wrong = await curl(["-x", url, "-o", "/dev/null", "-w", "%{http_code}", `http://b.allowed.test:${origin.port}/`]);
    expect(right.stdout).toBe("origin:/");
    expect(wrong.stdout).toBe("403");
  });

  it("refuses an IP literal unless it is listed literally (and allowed private)", async () => {
    const unlisted = await proxy({ allow: ["allowed.test"] });
    const refused = await curl(["-x", unlisted.url, "-o", "/dev/null", "-w", "%{http_code}", `http://127.0.0.1:${origin.port}/`]);
    expect(refused.stdout).toBe("403");
    const listed = await proxy({ allow: ["127.0.0.1"], allowPrivate: ["127.0.0.1"] });
    const ok = await curl(["-x", listed.url, `http://127.0.0.1:${origin.port}/ip`]);
    expect(ok.stdout).toBe("origin:/ip");
  });

  it("refuses a name resolving to loopback (DNS rebinding) unless allow_private lists it", async () => {
    const { url, events } = await proxy({ allow: ["rebind.test", "localhost"], allowPrivate: [] });
    const mapped = await curl(["-x", url, "-D", "-", `http://rebind.test:${origin.port}/`]);
    expect(mapped.stdout).toMatch(/^HTTP\/1\.1 403 /);
    expect(mapped.stdout).toContain("resolves to 127.0.0.1 (loopback)");
    expect(mapped.stdout).toContain("allow_private");
    // localhost goes through the real resolver (dns.lookup) and is refused the same way.
    const resolved = await curl(["-x", url, "-o", "/dev/null", "-w", "%{http_code}", `http://localhost:${origin.port}/`]);
    expect(resolved.stdout).toBe("403");
    await settled(events, 2);
    expect(events[0]).toMatchObject({ decision: "deny", rule: "private:loopback", address: "127.0.0.1" });

    const allowed = await proxy({ allow: ["localhost"], allowPrivate: ["localhost"] });
    const ok = await curl(["-x", allowed.url, `http://localhost:${origin.port}/local`]);
    expect(ok.stdout).toBe("origin:/local");
  });

  it("answers 400 to a request that is not absolute-form", async () => {
    const { url } = await proxy({ allow: ["allowed.test"] });
    const r = await curl(["-o", "/dev/null", "-w", "%{http_code}", `${url}/not-a-proxy-request`]);
    expect(r.stdout).toBe("400");
  });
});

describe("CONNECT tunnels", () => {
  it("tunnels to an allowed host and counts bytes both ways", async () => {
    const { url, events } = await proxy({ allow: ["allowed.test"] });
    const r = await curl(["-p", "-x", url, `http://allowed.test:${origin.port}/tunnelled`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("origin:/tunnelled");
    await settled(events, 1);
    const e = events[0]!;
    expect(e).toMatchObject({ host: "allowed.test", protocol: "connect", decision: "allow", rule: "allowed.test", address: "127.0.0.1" });
    expect(e.bytesUp).toBeGreaterThan(40); // the GET request inside the tunnel
    expect(e.bytesDown).toBeGreaterThan("origin:/tunnelled".length);
    expect(e.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("carries real TLS to an https origin (self-signed, curl -k)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "safe-sh-tls-"));
    const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
    await new Promise((resolve) =>
      execFile("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=allowed.test", "-keyout", key, "-out", cert, "-days", "1"], resolve),
    );
    const tls = createHttpsServer({ key: await readFile(key), cert: await readFile(cert) }, (_req, res) => res.end("over tls"));
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    const { url } = await proxy({ allow: ["allowed.test"] });
    const r = await curl(["-k", "-x", url, `https://allowed.test:${(tls.address() as AddressInfo).port}/`]);
    await stop(tls);
    await rm(dir, { recursive: true });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("over tls");
  });

  it("refuses CONNECT to an unknown host with 403 and the denial header", async () => {
    const { url } = await proxy({ allow: ["allowed.test"] });
    const r = await curl(["-v", "-p", "-x", url, "-w", "%{http_connect}", `http://unknown.test:${origin.port}/`]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("403");
    expect(r.stderr).toMatch(/< X-Safe-Sh-Denied: unknown\.test/);
  });
});

describe("the approver", () => {
  it("asks for an unknown host: once asks again, session is cached, deny refuses", async () => {
    const asked: string[] = [];
    const answers = ["once", "deny", "session"] as const;
    const { url } = await proxy({
      allow: [],
      ask: async (host, port) => {
        asked.push(`${host}:${port}`);
        return answers[asked.length - 1] ?? "deny";
      },
    });
    const target = `http://unknown.test:${origin.port}/`;
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) codes.push((await curl(["-x", url, "-o", "/dev/null", "-w", "%{http_code}", target])).stdout);
    expect(codes).toEqual(["200", "403", "200", "200"]);
    expect(asked).toEqual(Array(3).fill(`unknown.test:${origin.port}`));
  });

  it("persists an always answer", async () => {
    const persisted: string[] = [];
    const { url } = await proxy({ ask: async () => "always", persist: (h) => void persisted.push(h) });
    const r = await curl(["-x", url, `http://unknown.test:${origin.port}/`]);
    expect(r.stdout).toBe("origin:/");
    expect(persisted).toEqual(["unknown.test"]);
  });
});
