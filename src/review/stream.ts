// Streamed answers (stream = true): server-sent events folded back into the
// one object each API returns without streaming, so parsing stays in one place.
import { failed, type ModelFailure } from "./verdict";

/** The JSON `data:` payloads of an event stream, in order; `[DONE]` ends it. */
export function sseEvents(text: string): unknown[] | ModelFailure {
  const events: unknown[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).replace(/^ /, ""))
      .join("\n");
    if (data === "" || data === "[DONE]") continue;
    try {
      events.push(JSON.parse(data));
    } catch {
      return failed("invalid-output", "a streamed event is not JSON");
    }
  }
  return events;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** chat.completion.chunk events → a chat.completion with the deltas joined. */
export function openaiFromStream(events: unknown[]): unknown {
  let content: string | undefined;
  let refusal: string | undefined;
  let finish: unknown;
  let usage: unknown;
  for (const event of events as Json[]) {
    const choice = event?.choices?.[0];
    if (typeof choice?.delta?.content === "string") content = (content ?? "") + choice.delta.content;
    if (typeof choice?.delta?.refusal === "string") refusal = (refusal ?? "") + choice.delta.refusal;
    if (choice?.finish_reason) finish = choice.finish_reason;
    if (event?.usage) usage = event.usage;
  }
  return { choices: [{ message: { content, refusal }, finish_reason: finish }], usage };
}

/** Messages stream events → a message with each tool call's JSON input put together. */
export function anthropicFromStream(events: unknown[]): unknown {
  const blocks: Json[] = [];
  const partial: string[] = [];
  let stopReason: unknown;
  let usage: Json = {};
  for (const event of events as Json[]) {
    switch (event?.type) {
      case "error":
        return { type: "error", error: event.error };
      case "message_start":
        usage = { ...event.message?.usage };
        break;
      case "content_block_start":
        blocks[event.index] = { ...event.content_block };
        partial[event.index] = "";
        break;
      case "content_block_delta":
        if (event.delta?.type === "input_json_delta") partial[event.index] = (partial[event.index] ?? "") + event.delta.partial_json;
        break;
      case "message_delta":
        stopReason = event.delta?.stop_reason;
        usage = { ...usage, ...event.usage };
        break;
    }
  }
  const content = blocks.map((block, i) => {
    if (block?.type !== "tool_use" || !partial[i]) return block;
    try {
      return { ...block, input: JSON.parse(partial[i]!) };
    } catch {
      return { ...block, input: undefined }; // half a JSON object is no verdict
    }
  });
  return { type: "message", content, stop_reason: stopReason, usage };
}
