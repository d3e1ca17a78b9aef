// Anthropic's Messages API: the verdict is the input of a forced tool call
// (tool_choice); streamed or not.
import type { ReviewerModelConfig } from "../policy/types";
import type { ApiCall } from "./http";
import { VERDICT_SCHEMA } from "./prompt";
import { failed, strictVerdict, withTokens, type ModelAnswer } from "./verdict";

export const ANTHROPIC_VERSION = "2023-06-01";
export const VERDICT_TOOL = "record_verdict";

export function anthropicRequest(config: ReviewerModelConfig, system: string, user: string, apiKey: string | undefined): ApiCall {
  return {
    headers: { "anthropic-version": ANTHROPIC_VERSION, ...(apiKey === undefined ? {} : { "x-api-key": apiKey }) },
    body: {
      model: config.model,
      max_tokens: config.maxTokens,
      temperature: 0,
      system,
      messages: [{ role: "user", content: user }],
      tools: [{ name: VERDICT_TOOL, description: "Record the review verdict for the request.", input_schema: VERDICT_SCHEMA }],
      tool_choice: { type: "tool", name: VERDICT_TOOL },
      stream: config.stream,
    },
  };
}

interface Block {
  type?: unknown;
  name?: unknown;
  input?: unknown;
}

/** The verdict in a message object, or why there is none. */
export function anthropicAnswer(json: unknown): ModelAnswer {
  const body = json as { type?: unknown; content?: unknown; stop_reason?: unknown; usage?: { input_tokens?: unknown; output_tokens?: unknown } };
  if (body?.type !== "message" || !Array.isArray(body.content)) return failed("invalid-output", "the answer is not a message");
  if (body.stop_reason === "refusal") return failed("refusal", "the model refused to answer");
  if (body.stop_reason === "max_tokens") return failed("truncated", "the answer was cut at max_tokens");
  // The forced tool call ends the turn with "tool_use"; anything else (or none: a broken stream) is no verdict.
  if (body.stop_reason !== "tool_use") return failed("invalid-output", `the answer did not finish with the verdict tool (stop_reason ${String(body.stop_reason)})`);
  const calls = (body.content as Block[]).filter((block) => block?.type === "tool_use");
  if (calls.length !== 1 || calls[0]!.name !== VERDICT_TOOL) return failed("invalid-output", `expected one ${VERDICT_TOOL} tool call, got ${calls.length}`);
  const answer = strictVerdict(calls[0]!.input);
  const { input_tokens: input, output_tokens: output } = body.usage ?? {};
  return withTokens(answer, input, output);
}
