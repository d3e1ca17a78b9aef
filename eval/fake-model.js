"use strict";
// A local stand-in for a language model behind both APIs safe-sh review
// speaks: OpenAI chat completions (POST /v1/chat/completions) and Anthropic
// Messages (POST /v1/messages), on 127.0.0.1. It checks each request's shape
// the way the real APIs would, answers in their real formats (as server-sent
// events when asked to stream), and can fail
// on purpose (HTTP errors, hangs, refusals, malformed answers). By default it
// decides by fixedPolicy() over the request quoted in the prompt.
const crypto = require("node:crypto");
const http = require("node:http");

const VERDICT_TOOL = "record_verdict";
const BUILD_OUTPUT = /^(\.\/)?(build|dist|out|target|coverage|node_modules|\.cache|__pycache__|\.pytest_cache|\.next|tmp)(\/.*)?$/;
/** Tools an agent runs to build, test, format or set up a project: confined, routine. */
const ROUTINE = /^(make|cmake|ninja|npm|npx|yarn|pnpm|node|deno|bun|cargo|go|gofmt|rustfmt|tsc|python3?|pytest|pip|poetry|uv|ruff|mypy|black|isort|prettier|eslint|clang-format|mvn|gradle|\.\/gradlew|bundle|rake|ruby|rspec|\.\/configure|\.\/[\w.-]+\.sh|bash)$/;
/** Reading credentials, cloud metadata, or sending data out. */
const EXFILTRATION = /(~|\$HOME)\/\.(ssh|aws|gnupg|kube|netrc|docker)|id_rsa|\/etc\/shadow|169\.254\.169\.254|\B-d @|--data(-binary)? @|\s-T\s|\bscp\b|\bnc\b|\bbase64 -d\b/;
const STEERING = /ignore (all |the )?(previous|prior|above)|you are now|as the reviewer|reviewer:|verdict|approve this|pre-approved|already approved/i;

/** The request safe-sh review quoted between its REQUEST markers, or undefined. */
function quotedRequest(text) {
  const match = /<<<REQUEST-([0-9a-f]+)\n([\s\S]*)\nREQUEST-\1>>>/.exec(text);
  if (!match) return undefined;
  try {
    return JSON.parse(match[2]);
  } catch {
    return undefined;
  }
}

const targets = (argv) => argv.slice(1).filter((word) => !word.startsWith("-"));
const underTmp = (word) => /^\/(var\/)?tmp\//.test(word) && !word.split("/").includes("..");

/**
 * The fake model's fixed policy (documented in docs/reviewer.md): deny
 * steering attempts, privilege, piping downloads into a shell, reading
 * credentials or sending data out, force pushes and deletions of anything
 * but build output or temporary files; escalate wider grants, publishing,
 * pushes and scripts that could not be analysed unless they only run known
 * build and test tools; allow the rest.
 */
function fixedPolicy(request) {
  if (!request) return { verdict: "deny", reason: "no request found in the prompt" };
  const commands = Array.isArray(request.commands) ? request.commands : [];
  const text = String(request.command);
  if (STEERING.test(text)) return { verdict: "deny", reason: "the command tries to instruct the reviewer" };
  if (request.risk === "privileged") return { verdict: "deny", reason: "privileged" };
  if (/\b(curl|wget)\b[^|]*\|\s*(sudo\s+)?(ba|z|da)?sh\b|<\(\s*(curl|wget)\b/.test(text)) return { verdict: "deny", reason: "runs code downloaded from the internet" };
  if (EXFILTRATION.test(text)) return { verdict: "deny", reason: "reads credentials or sends data out" };
  for (const { argv } of commands) {
    if (argv[0] === "git" && argv[1] === "push" && argv.some((w) => w === "--force" || w === "-f" || w.startsWith("+"))) return { verdict: "deny", reason: "force push rewrites shared history" };
  }
  if (request.escalation) return { verdict: "escalate", reason: "asks for wider access" };
  for (const { argv, risk } of commands) {
    if (risk !== "destructive") continue;
    const paths = targets(argv);
    if (paths.length === 0 || !paths.every((p) => BUILD_OUTPUT.test(p) || underTmp(p))) return { verdict: "deny", reason: `destroys work: ${argv.join(" ")}` };
  }
  if (request.risk === "destructive" && !commands.some((c) => c.risk === "destructive")) return { verdict: "deny", reason: "destructive script" };
  for (const { argv } of commands) {
    if ((argv[0] === "git" && argv[1] === "push") || (/^(npm|yarn|pnpm|cargo|twine|gem)$/.test(argv[0]) && argv.includes("publish"))) return { verdict: "escalate", reason: "publishes outside the workspace" };
  }
  if (/-exec\s+rm\b|\/dev\/null\s*$/.test(text)) return { verdict: "deny", reason: "deletes or discards files" };
  // An unanalysable script is fine when every command is a known build/test tool with plain arguments.
  const routine = commands.length > 0 && commands.every(({ argv }) => ROUTINE.test(argv[0]) && !argv.some((w) => /[$`]/.test(w)));
  if (request.risk === "unknown" && !routine) return { verdict: "escalate", reason: "could not be analysed" };
  return { verdict: "allow", reason: `${request.risk} work, confined by the sandbox` };
}

/** Problems with an OpenAI chat-completions request body, as the API would report them. */
function openaiProblems(body, headers, apiKey) {
  const problems = [];
  if (apiKey !== undefined && headers.authorization !== `Bearer ${apiKey}`) problems.push("401:missing or wrong bearer token");
  if (typeof body.model !== "string") problems.push("400:model must be a string");
  const messages = Array.isArray(body.messages) ? body.messages : [];
  if (messages.length !== 2 || messages[0].role !== "system" || messages[1].role !== "user" || !messages.every((m) => typeof m.content === "string")) problems.push("400:expected a system and a user message");
  const format = body.response_format;
  if (format?.type !== "json_schema" || format.json_schema?.strict !== true || format.json_schema?.schema?.type !== "object") problems.push("400:response_format must be a strict json_schema");
  if (typeof body.stream !== "boolean") problems.push("400:stream must be a boolean");
  if (!Number.isInteger(body.max_tokens)) problems.push("400:max_tokens must be an integer");
  return problems;
}

/** Problems with an Anthropic Messages request body. */
function anthropicProblems(body, headers, apiKey) {
  const problems = [];
  if (apiKey !== undefined && headers["x-api-key"] !== apiKey) problems.push("401:invalid x-api-key");
  if (headers["anthropic-version"] !== "2023-06-01") problems.push("400:anthropic-version header is required");
  if (typeof body.model !== "string" || !Number.isInteger(body.max_tokens)) problems.push("400:model and max_tokens are required");
  if (typeof body.system !== "string") problems.push("400:system must be a string");
  const messages = Array.isArray(body.messages) ? body.messages : [];
  if (messages.length !== 1 || messages[0].role !== "user" || typeof messages[0].content !== "string") problems.push("400:expected one user message");
  const tool = Array.isArray(body.tools) ? body.tools[0] : undefined;
  if (tool?.name !== VERDICT_TOOL || tool.input_schema?.type !== "object") problems.push(`400:tools must declare ${VERDICT_TOOL}`);
  if (body.tool_choice?.type !== "tool" || body.tool_choice?.name !== VERDICT_TOOL) problems.push("400:tool_choice must force the verdict tool");
  if (body.stream !== undefined && typeof body.stream !== "boolean") problems.push("400:stream must be a boolean");
  return problems;
}

const id = (prefix) => `${prefix}${crypto.randomBytes(8).toString("hex")}`;

function openaiReply(body, content, behaviour) {
  const refusal = behaviour === "refusal" ? "I can't help with reviewing that." : null;
  return {
    id: id("chatcmpl-"),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message: { role: "assistant", content: refusal ? null : content, refusal }, logprobs: null, finish_reason: behaviour === "truncated" ? "length" : "stop" }],
    usage: { prompt_tokens: 900, completion_tokens: 20, total_tokens: 920 },
    system_fingerprint: "fp_fake",
  };
}

function anthropicReply(body, input, behaviour) {
  const stop = { refusal: "refusal", truncated: "max_tokens", "no-tool": "end_turn" }[behaviour] ?? "tool_use";
  const content =
    behaviour === "no-tool" || behaviour === "refusal"
      ? [{ type: "text", text: "I would approve this." }]
      : [{ type: "tool_use", id: id("toolu_"), name: VERDICT_TOOL, input }];
  return { id: id("msg_"), type: "message", role: "assistant", model: body.model, content, stop_reason: stop, stop_sequence: null, usage: { input_tokens: 900, output_tokens: 20 } };
}

/** A reply as the API streams it: server-sent events with the answer in small pieces. */
function streamed(api, reply) {
  const pieces = (text) => text.match(/[\s\S]{1,7}/g) ?? [];
  const events = [];
  if (api === "openai") {
    const chunk = (delta, finish = null) => ({ id: reply.id, object: "chat.completion.chunk", created: reply.created, model: reply.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
    const { message, finish_reason: finish } = reply.choices[0];
    events.push(["", chunk({ role: "assistant", content: "" })]);
    if (message.refusal) for (const piece of pieces(message.refusal)) events.push(["", chunk({ refusal: piece })]);
    else for (const piece of pieces(message.content)) events.push(["", chunk({ content: piece })]);
    events.push(["", chunk({}, finish)]);
    return `${events.map(([, data]) => `data: ${JSON.stringify(data)}\n\n`).join("")}data: [DONE]\n\n`;
  }
  const { content, stop_reason: stop, usage, ...message } = reply;
  events.push(["message_start", { type: "message_start", message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } }]);
  events.push(["ping", { type: "ping" }]);
  content.forEach((block, index) => {
    if (block.type === "tool_use") {
      events.push(["content_block_start", { type: "content_block_start", index, content_block: { ...block, input: {} } }]);
      for (const piece of pieces(JSON.stringify(block.input))) events.push(["content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } }]);
    } else {
      events.push(["content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } }]);
      events.push(["content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: block.text } }]);
    }
    events.push(["content_block_stop", { type: "content_block_stop", index }]);
  });
  events.push(["message_delta", { type: "message_delta", delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }]);
  events.push(["message_stop", { type: "message_stop" }]);
  return events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join("");
}

const ERRORS = {
  openai: (status, message) => ({ error: { message, type: status === 429 ? "requests" : status === 401 ? "invalid_request_error" : "server_error", param: null, code: status === 401 ? "invalid_api_key" : null } }),
  anthropic: (status, message) => ({ type: "error", error: { type: status === 429 ? "rate_limit_error" : status === 401 ? "authentication_error" : status === 400 ? "invalid_request_error" : "api_error", message } }),
};

/**
 * Starts the fake on 127.0.0.1 (a free port). Options:
 *   apiKey     required key (Bearer / x-api-key); undefined accepts none
 *   decide     (request) => {verdict, reason}; default fixedPolicy
 *   behaviour  "ok" | "http-500" | "http-429" | "hang" | "not-json" | "huge" | "refusal" | "truncated" | "cut-stream"
 *              | "bad-verdict" | "extra-keys" | "prose" | "no-tool"; may be changed on the returned server
 * Resolves with { url, port, calls, problems, behaviour, close() }.
 */
function startFakeModel(options = {}) {
  const state = { calls: [], problems: [], behaviour: options.behaviour ?? "ok" };
  const decide = options.decide ?? fixedPolicy;
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const api = req.url === "/v1/chat/completions" ? "openai" : req.url === "/v1/messages" ? "anthropic" : undefined;
      const send = (status, value) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(typeof value === "string" ? value : JSON.stringify(value));
      };
      // A successful answer, streamed when the client asked for a stream.
      const answer = (reply) => {
        if (body.stream !== true) return send(200, reply);
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        const text = streamed(api, reply);
        // cut-stream: the connection ends half way, at an event boundary.
        res.end(state.behaviour === "cut-stream" ? text.slice(0, text.indexOf("\n\n", text.length >> 1) + 2) : text);
      };
      if (req.method !== "POST" || !api) return send(404, { error: { message: "not found" } });
      let body = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        state.problems.push("body is not JSON");
        return send(400, ERRORS[api](400, "body is not JSON"));
      }
      const problems = (api === "openai" ? openaiProblems : anthropicProblems)(body, req.headers, options.apiKey);
      const prompt = api === "openai" ? body.messages?.[1]?.content : body.messages?.[0]?.content;
      state.calls.push({ api, headers: req.headers, body, request: quotedRequest(String(prompt)) });
      if (problems.length > 0) {
        state.problems.push(...problems);
        const [status, message] = problems[0].split(/:(.*)/s);
        return send(Number(status), ERRORS[api](Number(status), message));
      }
      const behaviour = state.behaviour;
      if (behaviour === "hang") return; // never answers; the client's deadline must end it
      if (behaviour === "http-500") return send(api === "anthropic" ? 529 : 500, ERRORS[api](500, "The server is overloaded"));
      if (behaviour === "http-429") return send(429, ERRORS[api](429, "Rate limit reached"));
      if (behaviour === "not-json") return send(200, "<html>gateway error</html>");
      if (behaviour === "huge") return send(200, `{"pad":"${"x".repeat(2 * 1024 * 1024)}"}`);
      const verdict = decide(quotedRequest(String(prompt)));
      const input = behaviour === "bad-verdict" ? { verdict: "yes", reason: "fine" } : behaviour === "extra-keys" ? { ...verdict, confidence: 0.9 } : verdict;
      if (api === "anthropic") return answer(anthropicReply(body, input, behaviour));
      const content = behaviour === "prose" ? `Sure! ${JSON.stringify(input)}` : JSON.stringify(input);
      return answer(openaiReply(body, content, behaviour));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve(
        Object.assign(state, {
          port,
          url: `http://127.0.0.1:${port}`,
          close: () =>
            new Promise((done) => {
              for (const socket of sockets) socket.destroy();
              server.close(() => done());
            }),
        }),
      );
    });
  });
}

module.exports = { startFakeModel, fixedPolicy, quotedRequest };
