// One JSON POST to a model API with Node's fetch: a deadline for the whole
// exchange, a size cap on the answer, and every failure as a ModelFailure.
import { sseEvents } from "./stream";
import { failed, oneLine, type ModelFailure } from "./verdict";

/** More than any verdict needs; a larger answer is not read. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** What an API module builds for one call. */
export interface ApiCall {
  headers: Record<string, string>;
  body: unknown;
}

export interface HttpReply {
  status: number;
  /** The decoded body; for an event stream, the list of its events' data. */
  json: unknown;
  streamed: boolean;
}

async function readCapped(response: Response, signal: AbortSignal): Promise<string | ModelFailure> {
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      return failed("invalid-output", `the answer is larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The API's own error message from an error body ({error: {message}} in both APIs), if any. */
function apiError(json: unknown): string | undefined {
  const error = (json as { error?: { message?: unknown } } | null)?.error;
  return typeof error?.message === "string" ? error.message : undefined;
}

/** POSTs `body` as JSON; resolves with the decoded 2xx answer or a failure. Never rejects. */
export async function postJson(url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<HttpReply | ModelFailure> {
  const signal = AbortSignal.timeout(timeoutMs);
  let text: string | ModelFailure;
  let status: number;
  let streamed = false;
  try {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body), signal, redirect: "error" });
    status = response.status;
    streamed = (response.headers.get("content-type") ?? "").startsWith("text/event-stream");
    text = await readCapped(response, signal);
  } catch (error) {
    if (signal.aborted) return failed("timeout", `no answer from ${url} within ${timeoutMs} ms`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return failed("unreachable", `cannot reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  if (typeof text !== "string") return text;
  if (streamed && status >= 200 && status <= 299) {
    const events = sseEvents(text);
    return Array.isArray(events) ? { status, json: events, streamed } : events;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (status < 200 || status > 299) {
    const message = apiError(json);
    return failed("http", `HTTP ${status} from ${url}${message === undefined ? "" : `: ${oneLine(message, 160)}`}`);
  }
  if (json === undefined) return failed("invalid-output", `the API answered with something that is not JSON: ${oneLine(text, 80)}`);
  return { status, json, streamed };
}
