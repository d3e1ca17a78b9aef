// [approval.reviewer.model] in config.toml: defaults filled in, bad values
// rejected with the key named.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { loadPolicy } from "../../src/policy/load";

let dir: string;
const load = (toml: string) => {
  fs.writeFileSync(path.join(dir, "user", "config.toml"), toml);
  return loadPolicy({ systemDir: path.join(dir, "etc"), userConfigDir: path.join(dir, "user"), stateDir: path.join(dir, "state"), cwd: dir, env: {} }).policy;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-review-config-"));
  fs.mkdirSync(path.join(dir, "user"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it("fills in each API's endpoint and the defaults", () => {
  const policy = load('[approval.reviewer]\ncommand = ["safe-sh", "review"]\n[approval.reviewer.model]\napi = "anthropic"\nmodel = "claude-haiku-4-5"\napi_key_secret = "anthropic"\n');
  expect(policy.reviewer?.model).toEqual({ api: "anthropic", model: "claude-haiku-4-5", url: "https://api.anthropic.com/v1/messages", apiKeySecret: "anthropic", timeoutMs: 8000, maxTokens: 400, cacheTtlS: 3600, stream: false });
});

it("takes a local server's URL and no key", () => {
  const policy = load('[approval.reviewer]\ncommand = ["safe-sh", "review"]\n[approval.reviewer.model]\napi = "openai"\nmodel = "qwen2.5:7b"\nurl = "http://127.0.0.1:11434/v1/chat/completions"\ncache_ttl_s = 0\n');
  expect(policy.reviewer?.model).toMatchObject({ url: "http://127.0.0.1:11434/v1/chat/completions", cacheTtlS: 0 });
  expect(policy.reviewer?.model?.apiKeySecret).toBeUndefined();
});

it.each([
  ['api = "gemini"\nmodel = "m"', /approval\.reviewer\.model\.api/],
  ['api = "openai"', /approval\.reviewer\.model.*model/],
  ['api = "openai"\nmodel = "m"\nurl = "ftp://x"', /url/],
  ['api = "openai"\nmodel = "m"\napi_key = "sk-123"', /api_key/],
  ['api = "openai"\nmodel = "m"\napi_key_secret = "a b"', /api_key_secret/],
])("rejects %s", (model, message) => {
  expect(() => load(`[approval.reviewer]\ncommand = ["safe-sh", "review"]\n[approval.reviewer.model]\n${model}\n`)).toThrow(message);
});
