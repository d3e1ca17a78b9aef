// OTLP/HTTP JSON export against a receiver on 127.0.0.1: batching, mapping, retries, never throwing.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { OtlpExporter } from "../../../src/audit";
import { readLines, tempLog } from "./log-fixture";

interface Receiver {
  url: string;
  bodies: any[];
  close(): Promise<void>;
}

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

/** Answers each request with the next status from `statuses` (then 200); `hang` never answers. */
async function receiver(statuses: number[] = [], hang = false): Promise<Receiver> {
  const bodies: any[] = [];
  const server = http.createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => {
      if (hang) return;
      const status = statuses.shift() ?? 200;
      if (status === 200) bodies.push(JSON.parse(text));
      response.writeHead(status).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const result = {
    url: `http://127.0.0.1:${port}/v1/logs`,
    bodies,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  receivers.push(result);
  return result;
}

const logRecords = (bodies: any[]): any[] => bodies.flatMap((body) => body.resourceLogs[0].scopeLogs[0].logRecords);

describe("OTLP export", () => {
  it("sends every record in batches with the exact line as body and event/session/risk attributes", async () => {
    const server = await receiver();
    const { file, log } = tempLog({ sessionId: "sess-9", otlp: { endpoint: server.url, batchSize: 4 } });
    for (let i = 0; i < 10; i++) log.append({ event: "decision", command: `c${i}`, risk: "write", reasons: [], decision: "allow" });
    await log.close(5000);
    expect(server.bodies.length).toBe(3);
    const records = logRecords(server.bodies);
    expect(records.map((record) => record.body.stringValue)).toEqual(readLines(file));
    const attributes = Object.fromEntries(records[0].attributes.map((item: any) => [item.key, Object.values(item.value)[0]]));
    expect(attributes).toMatchObject({ "safe_sh.event": "decision", "safe_sh.session_id": "sess-9", "safe_sh.risk": "write", "safe_sh.seq": "1" });
    expect(records[0].timeUnixNano).toMatch(/^\d{19}$/);
    expect(server.bodies[0].resourceLogs[0].resource.attributes[0]).toEqual({ key: "service.name", value: { stringValue: "safe-sh" } });
  });

  it("does not block append: nothing is sent before the batch fills or the interval passes", async () => {
    const server = await receiver();
    const { log } = tempLog({ otlp: { endpoint: server.url, batchSize: 100, flushIntervalMs: 60_000 } });
    log.append({ event: "decision", command: "ls", risk: "read-only", reasons: [], decision: "allow" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.bodies.length).toBe(0);
    await log.close(5000);
    expect(logRecords(server.bodies).length).toBe(1);
  });

  it("retries 503 and 429 with backoff, then delivers", async () => {
    const server = await receiver([503, 429]);
    const exporter = new OtlpExporter({ endpoint: server.url, backoffMs: 10 });
    const { file, log } = tempLog();
    log.append({ event: "decision", command: "ls", risk: "read-only", reasons: [], decision: "allow" });
    exporter.enqueue(JSON.parse(readLines(file)[0]), readLines(file)[0]);
    expect(await exporter.flush(5000)).toEqual({ sent: 1, dropped: 0, pending: 0 });
  });

  it("drops a batch after the bounded retries, and on a 400 without retrying", async () => {
    const failing = await receiver([500, 500, 500]);
    const exporter = new OtlpExporter({ endpoint: failing.url, backoffMs: 5, maxRetries: 2 });
    const { file, log } = tempLog();
    log.append({ event: "decision", command: "ls", risk: "read-only", reasons: [], decision: "allow" });
    const line = readLines(file)[0];
    exporter.enqueue(JSON.parse(line), line);
    expect(await exporter.flush(5000)).toEqual({ sent: 0, dropped: 1, pending: 0 });
    const rejecting = await receiver([400]);
    const second = new OtlpExporter({ endpoint: rejecting.url, backoffMs: 5 });
    second.enqueue(JSON.parse(line), line);
    expect(await second.flush(5000)).toEqual({ sent: 0, dropped: 1, pending: 0 });
  });

  it("never throws into the writer when nothing listens, and flush returns by its timeout when the collector hangs", async () => {
    const hanging = await receiver([], true);
    const { log } = tempLog({ otlp: { endpoint: hanging.url, requestTimeoutMs: 60_000 } });
    const closed = tempLog({ otlp: { endpoint: "http://127.0.0.1:1/v1/logs", backoffMs: 1 } });
    expect(log.append({ event: "decision", command: "ls", risk: "read-only", reasons: [], decision: "allow" })).toBeUndefined();
    expect(closed.log.append({ event: "decision", command: "ls", risk: "read-only", reasons: [], decision: "allow" })).toBeUndefined();
    const started = Date.now();
    await log.close(300);
    expect(Date.now() - started).toBeLessThan(2000);
    await closed.log.close(5000);
  });
});
