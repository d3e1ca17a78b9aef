// `safe-sh review`: a reviewer program for [approval.reviewer] that asks a
// language model (docs/reviewer.md). Always answers with a verdict on stdout;
// whatever goes wrong is a "deny" with the reason.
import path = require("node:path");
import { openAudit } from "../audit";
import { redact } from "../audit/record";
import { SafeShError } from "../errors";
import { loadPolicy } from "../policy/load";
import { resolveLocations } from "../policy/locations";
import type { Policy } from "../policy/types";
import { parseRequest, type ReviewRequest } from "../review/request";
import { SYSTEM_PROMPT, userPrompt } from "../review/prompt";
import { VerdictCache } from "../review/cache";
import { review, type ReviewResult } from "../review/review";

const HELP = `safe-sh review — ask a language model to allow, deny or escalate a command

Usage (as configured, never by hand):
  [approval.reviewer]
  command = ["safe-sh", "review"]
  [approval.reviewer.model]
  api = "openai"                  # or "anthropic"
  model = "gpt-4o-mini"
  url = "https://api.openai.com/v1/chat/completions"   # default per api; any compatible server
  api_key_secret = "openai"       # keyring entry: safe-sh secret set openai

  safe-sh review            read one request (docs/reviewer-protocol.md) on stdin, print one verdict
  safe-sh review --prompt   print the prompt the model would get for that request, ask nothing
  safe-sh review --help

Privileged commands and grants beyond the workspace are escalated without asking the model.
A timeout, an HTTP error, a refusal or an answer outside the verdict schema is a denial.
Verdicts are cached per script, cwd, grant and policy for cache_ttl_s; each review is an
audit record (model, latency, verdict, reason). See docs/reviewer.md.
`;

/** Larger requests are not read: safe-sh's own are a few KiB. */
const MAX_REQUEST_BYTES = 1024 * 1024;

/** The request text; undefined when it is larger than any request safe-sh writes. */
async function readStdin(): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function answer(verdict: ReviewResult["verdict"], reason: string): number {
  process.stdout.write(`${JSON.stringify({ verdict, reason })}\n`);
  return 0;
}

async function reviewAndRecord(request: ReviewRequest, policy: Policy): Promise<number> {
  const audit = openAudit({ ...(policy.audit.path ? { path: policy.audit.path } : {}), bestEffort: policy.audit.bestEffort });
  try {
    const keys: Record<string, string> = {};
    const readKey = async (name: string) => {
      // The keyring binding loads only when a key is configured.
      const value = await (await import("../secrets/store")).openStore({ probeTimeoutMs: 2_000 }).then((store) => store.get(name));
      if (value) {
        keys[name] = value;
        audit.addSecrets(keys); // never in the trail, even if a server echoes it back
      }
      return value;
    };
    const result = await review(request, { policy, readKey, cache: new VerdictCache(path.join(resolveLocations().stateDir, "review-cache.json")) });
    const { verdict, reason, api, model, latencyMs, cached, failure, hardRule, tokens } = result;
    try {
      const warning = audit.append({ event: "review", command: request.command, cwd: request.cwd, api, model, verdict, reason, latencyMs, cached, failure, hardRule, tokens });
      if (warning) process.stderr.write(`${warning}\n`);
    } catch (error) {
      // Fail closed: a verdict that cannot be recorded is not given.
      return answer("deny", `reviewer: ${(error as Error).message}`);
    }
    // The verdict's reason lands in safe-sh's own records and on the terminal: no key there either.
    return answer(verdict, redact(reason, keys));
  } finally {
    await audit.close();
  }
}

/** `safe-sh review [--prompt]`; returns the exit status (0 whenever a verdict was printed). */
export async function command(args: string[]): Promise<number> {
  if (args[0] === "--help" || args[0] === "-h") {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.length > 1 || (args.length === 1 && args[0] !== "--prompt")) {
    throw new SafeShError("ERR_SAFESH_USAGE", `review: unknown argument ${args.find((arg) => arg !== "--prompt")}`, "see `safe-sh review --help`");
  }
  const text = await readStdin();
  const request = text === undefined ? `the request is larger than ${MAX_REQUEST_BYTES} bytes` : parseRequest(text);
  if (typeof request === "string") return answer("deny", `reviewer: ${request}`);
  if (args[0] === "--prompt") {
    process.stdout.write(`${JSON.stringify({ system: SYSTEM_PROMPT, user: userPrompt(request) }, null, 2)}\n`);
    return 0;
  }
  let policy: Policy;
  try {
    policy = loadPolicy().policy;
  } catch (error) {
    return answer("deny", `reviewer: ${(error as Error).message}`);
  }
  return reviewAndRecord(request, policy);
}
