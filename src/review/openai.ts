// The OpenAI-compatible chat-completions API (OpenAI, Azure, Ollama,
// llama.cpp, vLLM, LM Studio): a json_schema response_format; streamed or not.
import type { ReviewerModelConfig } from "../policy/types";
import type { ApiCall } from "./http";
import { VERDICT_SCHEMA } from "./prompt";
import { failed, oneLine, verdictFromText, withTokens, type ModelAnswer } from "./verdict";

export function openaiRequest(config: ReviewerModelConfig, system: string, user: string, apiKey: string | undefined): ApiCall {
  return {
    headers: apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` },
    body: {
      model: config.model,
      messages: [
        { role: "system", content: system },
        { role: "user", content: user },
      ],
      max_tokens: config.maxTokens,
      temperature: 0,
      stream: config.stream,
      response_format: { type: "json_schema", json_schema: { name: "safe_sh_verdict", strict: true, schema: VERDICT_SCHEMA } },
    },
  };
}

interface Choice {
  message?: { content?: unknown; refusal?: unknown };
  finish_reason?: unknown;
}

/** The verdict in a chat.completion object, or why there is none. */
export function openaiAnswer(json: unknown): ModelAnswer {
  const body = json as { choices?: unknown; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } };
  if (!Array.isArray(body?.choices) || body.choices.length === 0) return failed("invalid-output", "the answer has no choices");
  const choice = body.choices[0] as Choice;
  const refusal = choice.message?.refusal;
  if (typeof refusal === "string" && refusal !== "") return failed("refusal", `the model refused: ${oneLine(refusal, 160)}`);
  if (choice.finish_reason === "content_filter") return failed("refusal", "the answer was withheld by the content filter");
  if (choice.finish_reason === "length") return failed("truncated", "the answer was cut at max_tokens");
  // Also how a stream that broke off looks: no finish_reason at all.
  if (choice.finish_reason !== "stop") return failed("invalid-output", `the answer did not finish (finish_reason ${String(choice.finish_reason)})`);
  const content = choice.message?.content;
  if (typeof content !== "string") return failed("invalid-output", "the answer has no text content");
  const answer = verdictFromText(content);
  const { prompt_tokens: input, completion_tokens: output } = body.usage ?? {};
  return withTokens(answer, input, output);
}
