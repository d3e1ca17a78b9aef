// The configuration schema as data: the hand-written validator walks it, and
// a unit test checks that schema/*.schema.json describe the same keys.
import { NETWORK_MODES, SANDBOX_MODES } from "../types";
import { VERDICTS } from "../verdict";
import { APPROVAL_MODES, READ_MODES } from "./types";

export type FieldSpec =
  | { type: "string"; enum?: readonly string[]; pattern?: RegExp; test?: (value: string) => boolean; expected?: string }
  | { type: "boolean" }
  | { type: "integer"; minimum: number; maximum: number }
  | { type: "array"; items: FieldSpec; minItems?: number }
  | { type: "table"; fields: Record<string, FieldSpec>; required?: readonly string[] }
  | { type: "map"; values: FieldSpec; keyPattern: RegExp; expected: string }
  | { type: "either"; options: readonly FieldSpec[] };

const string = (): FieldSpec => ({ type: "string" });
const oneOf = (values: readonly string[]): FieldSpec => ({ type: "string", enum: values });
const stringList = (minItems = 0): FieldSpec => ({ type: "array", items: string(), minItems });
const argv: FieldSpec = stringList(1);

/** `example.com`, `*.example.com`, an IPv4 or `[IPv6]` literal, optionally `:port`. */
export const DOMAIN_PATTERN =
  /^((\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$/i;
const domain: FieldSpec = { type: "string", pattern: DOMAIN_PATTERN, expected: "a domain like example.com or *.example.com, optionally with :port" };
/** A literal address, IPv6 optionally in brackets (as the proxy accepts it). */
const ipAddress: FieldSpec = {
  type: "string",
  // node:net is required here, not at the top: loading it (and streams) cost every CLI start ~5 ms.
  test: (value) => (require("node:net") as typeof import("node:net")).isIP(value.replace(/^\[(.*)\]$/, "$1")) !== 0,
  expected: "an IPv4 or IPv6 address",
};
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName: FieldSpec = { type: "string", pattern: ENV_NAME, expected: "an environment variable name" };

export const RULE_SPEC: FieldSpec = {
  type: "table",
  required: ["prefix", "decision"],
  fields: {
    prefix: argv,
    decision: oneOf(VERDICTS),
    reason: string(),
    match: { type: "array", items: argv },
    notMatch: { type: "array", items: argv },
  },
};

export const REVIEWER_APIS = ["openai", "anthropic"] as const;

/** `[approval.reviewer.model]`, read by `safe-sh review`. */
const REVIEWER_MODEL_SPEC: FieldSpec = {
  type: "table",
  required: ["api", "model"],
  fields: {
    api: oneOf(REVIEWER_APIS),
    model: string(),
    url: { type: "string", pattern: /^https?:\/\/[^\s]+$/, expected: "an http:// or https:// URL" },
    api_key_secret: { type: "string", pattern: /^[A-Za-z0-9_-]{1,128}$/, expected: "a secret name of letters, digits, _ and -" },
    timeout_ms: { type: "integer", minimum: 1, maximum: 600_000 },
    max_tokens: { type: "integer", minimum: 16, maximum: 32_768 },
    cache_ttl_s: { type: "integer", minimum: 0, maximum: 604_800 },
    stream: { type: "boolean" },
  },
};

const REVIEWER_SPEC: FieldSpec = {
  type: "table",
  required: ["command"],
  fields: { command: argv, timeout_ms: { type: "integer", minimum: 1, maximum: 600_000 }, model: REVIEWER_MODEL_SPEC },
};

/** config.toml at every layer (system, user, project). */
export const CONFIG_SPEC: FieldSpec = {
  type: "table",
  fields: {
    approval: {
      type: "either",
      options: [oneOf(APPROVAL_MODES), { type: "table", fields: { mode: oneOf(APPROVAL_MODES), reviewer: REVIEWER_SPEC } }],
    },
    sandbox: oneOf(SANDBOX_MODES),
    network: {
      type: "table",
      fields: {
        mode: oneOf(NETWORK_MODES),
        allow: { type: "array", items: domain },
        deny: { type: "array", items: domain },
        // Address blocks or host patterns whose private/loopback addresses may be reached (see docs/network.md).
        allow_private: stringList(),
        // Static name → address mappings used instead of DNS, like curl's --resolve.
        hosts: { type: "map", keyPattern: /^[A-Za-z0-9.-]+$/, expected: "a host name", values: ipAddress },
      },
    },
    rules: { type: "array", items: RULE_SPEC },
    // Absolute: a relative path would land wherever safe-sh runs, the workspace included.
    audit: { type: "table", fields: { path: { type: "string", pattern: /^\//, expected: "an absolute path" }, best_effort: { type: "boolean" } } },
    env: {
      type: "table",
      fields: {
        keep: { type: "array", items: envName },
        drop: { type: "array", items: envName },
        set: { type: "map", keyPattern: ENV_NAME, expected: "an environment variable name", values: string() },
      },
    },
    writable_roots: stringList(),
    // Resource limits of each run (docs/limits.md): processes at once, MiB of data per process; 0 is none.
    limits: {
      type: "table",
      fields: { pids: { type: "integer", minimum: 0, maximum: 4_194_304 }, memory: { type: "integer", minimum: 0, maximum: 4_194_304 } },
    },
    // Read rules (docs/policy.md "Read rules"): paths absolute, ~/ or project-relative.
    filesystem: { type: "table", fields: { read: oneOf(READ_MODES), deny_read: stringList(), allow_read: stringList() } },
    secrets: {
      type: "map",
      keyPattern: /^[A-Za-z0-9_-]+$/,
      expected: "a secret name of letters, digits, _ and -",
      values: {
        type: "table",
        required: ["env", "commands"],
        fields: { env: envName, commands: { type: "array", items: argv, minItems: 1 } },
      },
    },
  },
};

/** requirements.toml in the system directory (admin caps). */
export const REQUIREMENTS_SPEC: FieldSpec = {
  type: "table",
  fields: {
    allowed_sandbox_modes: { type: "array", items: oneOf(SANDBOX_MODES), minItems: 1 },
    allowed_approval_modes: { type: "array", items: oneOf(APPROVAL_MODES), minItems: 1 },
    allowed_network_modes: { type: "array", items: oneOf(NETWORK_MODES), minItems: 1 },
    allowed_read_modes: { type: "array", items: oneOf(READ_MODES), minItems: 1 },
    rules: { type: "array", items: RULE_SPEC },
  },
};
