// One review: hard rules first (no model can approve those), then the verdict
// cache, then the model through its API. Every failure is a denial with the reason.
import type { Policy, ReviewerModelConfig } from "../policy/types";
import { anthropicAnswer, anthropicRequest } from "./anthropic";
import { cacheKey, type VerdictCache } from "./cache";
import { hardRule } from "./hard-rules";
import { postJson } from "./http";
import { openaiAnswer, openaiRequest } from "./openai";
import { SYSTEM_PROMPT, userPrompt } from "./prompt";
import { anthropicFromStream, openaiFromStream } from "./stream";
import type { ReviewRequest } from "./request";
import { failed, isFailure, type FailureKind, type ModelAnswer } from "./verdict";
import type { ReviewVerdict } from "../verdict";

export interface ReviewDeps {
  policy: Policy;
  /** The API key stored under this keyring name, or null when none is. Throws when the keyring can't be used. */
  readKey(name: string): Promise<string | null>;
  cache?: VerdictCache;
}

export interface ReviewResult {
  verdict: ReviewVerdict;
  reason: string;
  api: string;
  model: string;
  latencyMs: number;
  cached: boolean;
  failure?: FailureKind;
  hardRule?: boolean;
  tokens?: { input: number; output: number };
}

const API = {
  openai: { request: openaiRequest, answer: openaiAnswer, fromStream: openaiFromStream },
  anthropic: { request: anthropicRequest, answer: anthropicAnswer, fromStream: anthropicFromStream },
};

async function apiKey(config: ReviewerModelConfig, readKey: ReviewDeps["readKey"]): Promise<string | undefined | ModelAnswer> {
  if (config.apiKeySecret === undefined) return undefined;
  const hint = `store it with \`safe-sh secret set ${config.apiKeySecret}\``;
  try {
    return (await readKey(config.apiKeySecret)) ?? failed("no-key", `no API key stored as ${config.apiKeySecret}; ${hint}`);
  } catch (error) {
    return failed("no-key", `cannot read the API key ${config.apiKeySecret}: ${(error as Error).message}`);
  }
}

/** A key may travel in clear text only to this machine. */
function plainTextKey(config: ReviewerModelConfig): ModelAnswer | undefined {
  if (config.apiKeySecret === undefined) return undefined;
  const url = new URL(config.url);
  const local = url.hostname === "localhost" || url.hostname === "[::1]" || url.hostname.startsWith("127.");
  return url.protocol === "http:" && !local ? failed("config", `refusing to send the API key over plain http to ${url.host}; use https://`) : undefined;
}

/** Asks the model once; a verdict or a failure, never a rejection. */
export async function askModel(config: ReviewerModelConfig, request: ReviewRequest, readKey: ReviewDeps["readKey"]): Promise<ModelAnswer> {
  const refused = plainTextKey(config);
  if (refused) return refused;
  const key = await apiKey(config, readKey);
  if (typeof key === "object") return key;
  const api = API[config.api];
  const { headers, body } = api.request(config, SYSTEM_PROMPT, userPrompt(request), key);
  const reply = await postJson(config.url, headers, body, config.timeoutMs);
  if ("failure" in reply) return reply;
  return api.answer(reply.streamed ? api.fromStream(reply.json as unknown[]) : reply.json);
}

/** Reviews one request. Never rejects: a missing model config or any failure is a "deny" with the reason. */
export async function review(request: ReviewRequest, deps: ReviewDeps): Promise<ReviewResult> {
  const started = process.hrtime.bigint();
  const config = deps.policy.reviewer?.model;
  const result = (answer: ModelAnswer, extra: Partial<ReviewResult> = {}): ReviewResult => ({
    ...(isFailure(answer)
      ? { verdict: "deny" as const, reason: `reviewer model: ${answer.detail}`, failure: answer.failure }
      : { verdict: answer.verdict, reason: answer.reason, ...(answer.tokens ? { tokens: answer.tokens } : {}) }),
    api: config?.api ?? "none",
    model: config?.model ?? "none",
    latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
    cached: false,
    ...extra,
  });
  if (!config) return result(failed("config", "no [approval.reviewer.model] in the configuration (see docs/reviewer.md)"));

  const forbidden = hardRule(request, deps.policy);
  if (forbidden !== undefined) return result(forbidden, { hardRule: true });

  const key = cacheKey(request, deps.policy, config);
  const cached = deps.cache?.get(key);
  if (cached) return result(cached, { cached: true });

  const answer = await askModel(config, request, deps.readKey);
  if (!isFailure(answer)) deps.cache?.put(key, answer, config.cacheTtlS);
  return result(answer);
}
