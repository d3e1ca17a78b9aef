// OTLP/HTTP JSON log export: records are queued, sent in batches in the
// background with bounded retries, and never make the writer fail.
import type * as Http from "node:http";
import type { AuditRecord } from "./record";
import { readVerdict } from "../verdict";

export interface OtlpOptions {
  /** Full URL of the logs endpoint, e.g. `http://collector:4318/v1/logs`. */
  endpoint: string;
  /** Extra request headers (e.g. an API key for the collector). */
  headers?: Record<string, string>;
  /** Records per request. Default 64. */
  batchSize?: number;
  /** Longest a queued record waits before a partial batch is sent. Default 1000 ms. */
  flushIntervalMs?: number;
  /** Retries of a failed batch (network error, 429, 5xx). Default 3. */
  maxRetries?: number;
  /** First retry delay, doubled each time. Default 200 ms. */
  backoffMs?: number;
  /** Records queued at most; beyond it the oldest are dropped. Default 10000. */
  maxQueue?: number;
  /** Per-request timeout. Default 5000 ms. */
  requestTimeoutMs?: number;
}

export interface OtlpStats {
  sent: number;
  dropped: number;
  pending: number;
}

type AnyValue = { stringValue: string } | { intValue: string };

function attribute(key: string, value: string | number | undefined): { key: string; value: AnyValue } | undefined {
  if (value === undefined) return undefined;
  return { key, value: typeof value === "number" ? { intValue: String(value) } : { stringValue: value } };
}

/** One record as an OTLP LogRecord: body = the exact JSON line; attributes for filtering. */
export function toLogRecord(record: AuditRecord, line: string): Record<string, unknown> {
  const nanos = `${BigInt(Date.parse(record.time)) * 1_000_000n}`;
  // In today's words whatever version wrote the record (an exported "approve" would split the dashboards).
  const raw = (record.decision ?? record.verdict) as string | undefined;
  const verdict = readVerdict(raw) ?? raw;
  const warn = verdict === "deny" || record.event === "repair" || record.sandboxDenialSuspected === true;
  return {
    timeUnixNano: nanos,
    observedTimeUnixNano: nanos,
    severityNumber: warn ? 13 : 9,
    severityText: warn ? "WARN" : "INFO",
    body: { stringValue: line },
    attributes: [
      attribute("safe_sh.event", record.event),
      attribute("safe_sh.session_id", record.session),
      attribute("safe_sh.seq", record.seq),
      attribute("safe_sh.risk", record.risk as string | undefined),
      attribute("safe_sh.decision", verdict),
    ].filter((item) => item !== undefined),
  };
}

/** Batches records to an OTLP/HTTP JSON logs endpoint. No method throws. */
export class OtlpExporter {
  private readonly options: Required<Omit<OtlpOptions, "headers">> & { headers: Record<string, string> };
  private queue: Record<string, unknown>[] = [];
  private inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly counts = { sent: 0, dropped: 0 };

  constructor(options: OtlpOptions) {
    this.options = {
      batchSize: 64, flushIntervalMs: 1000, maxRetries: 3, backoffMs: 200, maxQueue: 10_000, requestTimeoutMs: 5000, headers: {},
      ...options,
    };
  }

  /** Queues one record; returns at once. */
  enqueue(record: AuditRecord, line: string): void {
    this.queue.push(toLogRecord(record, line));
    if (this.queue.length > this.options.maxQueue) {
      this.counts.dropped += this.queue.length - this.options.maxQueue;
      this.queue.splice(0, this.queue.length - this.options.maxQueue);
    }
    if (this.queue.length >= this.options.batchSize) this.sendQueued();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.sendQueued(), this.options.flushIntervalMs);
      this.timer.unref(); // a pending export never keeps the process alive; flush() does that
    }
  }

  /** Sends what is queued and waits for every request, at most `timeoutMs`. Never rejects. */
  async flush(timeoutMs: number): Promise<OtlpStats> {
    this.sendQueued();
    let timeout: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => { timeout = setTimeout(resolve, timeoutMs); });
    await Promise.race([Promise.all([...this.inFlight]), expired]);
    clearTimeout(timeout);
    return this.stats();
  }

  stats(): OtlpStats {
    return { ...this.counts, pending: this.queue.length + this.inFlight.size };
  }

  private sendQueued(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.batchSize);
      const job = this.deliver(batch).finally(() => this.inFlight.delete(job));
      this.inFlight.add(job);
    }
  }

  private async deliver(batch: Record<string, unknown>[]): Promise<void> {
    const body = JSON.stringify({
      resourceLogs: [{
        resource: { attributes: [{ key: "service.name", value: { stringValue: "safe-sh" } }] },
        scopeLogs: [{ scope: { name: "safe-sh.audit" }, logRecords: batch }],
      }],
    });
    for (let attempt = 0; attempt <= this.options.maxRetries; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, this.options.backoffMs * 2 ** (attempt - 1)).unref());
      const status = await this.post(body);
      if (status >= 200 && status < 300) {
        this.counts.sent += batch.length;
        return;
      }
      // 4xx other than 429 means the collector rejects this payload: retrying cannot help.
      if (status >= 400 && status < 500 && status !== 429) break;
    }
    this.counts.dropped += batch.length;
  }

  /** The HTTP status, or 0 on a network error or timeout. */
  private post(body: string): Promise<number> {
    return new Promise((resolve) => {
      try {
        const url = new URL(this.options.endpoint);
        // Loaded on first export: most runs have none, and TLS costs startup time.
        const transport = (url.protocol === "https:" ? require("node:https") : require("node:http")) as typeof Http;
        const request = transport.request(url, {
          method: "POST",
          headers: { ...this.options.headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
          timeout: this.options.requestTimeoutMs,
        }, (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
          response.on("error", () => resolve(0));
        });
        // Unref'd like the timers: only flush() may hold the process open for the export.
        request.on("socket", (socket) => socket.unref());
        request.on("timeout", () => request.destroy());
        request.on("error", () => resolve(0));
        request.end(body);
      } catch {
        resolve(0); // a malformed endpoint URL: counted as dropped, never thrown
      }
    });
  }
}
