// Layering: built-in defaults, then each validated file, then CLI flags.
// Scalars are replaced by later layers; lists and tables are extended.
import path = require("node:path");
import { NETWORK_MODES, SANDBOX_MODES, type SandboxMode } from "../types";
import type { Verdict } from "../verdict";
import {
  APPROVAL_MODES, READ_MODES,
  type ApprovalMode, type ReadMode, type Policy, type PolicyNetworkMode, type PolicyOverrides, type ReviewerModelConfig, type Rule,
} from "./types";

/** A config document after schema validation (keys as written in TOML). */
export interface RawConfig {
  approval?: ApprovalMode | { mode?: ApprovalMode; reviewer?: { command: string[]; timeout_ms?: number; model?: RawReviewerModel } };
  sandbox?: SandboxMode;
  network?: { mode?: PolicyNetworkMode; allow?: string[]; deny?: string[]; allow_private?: string[]; hosts?: Record<string, string> };
  rules?: RawRule[];
  audit?: { path?: string; best_effort?: boolean };
  env?: { keep?: string[]; drop?: string[]; set?: Record<string, string> };
  writable_roots?: string[];
  limits?: { pids?: number; memory?: number };
  filesystem?: { read?: ReadMode; deny_read?: string[]; allow_read?: string[] };
  secrets?: Record<string, { env: string; commands: string[][] }>;
}

export interface RawReviewerModel {
  api: ReviewerModelConfig["api"];
  model: string;
  url?: string;
  api_key_secret?: string;
  timeout_ms?: number;
  max_tokens?: number;
  cache_ttl_s?: number;
  stream?: boolean;
}

/** A layer's paths after `~` and project-relative resolution. */
export interface ResolvedPaths {
  writableRoots: string[];
  denyRead: string[];
  allowRead: string[];
}

export interface RawRule {
  prefix: string[];
  decision: Verdict;
  reason?: string;
  match?: string[][];
  notMatch?: string[][];
}

export const DEFAULTS_LABEL = "built-in defaults";
export const CLI_LABEL = "command line";
export const DEFAULT_REVIEWER_TIMEOUT_MS = 10_000;
/** Each API's public endpoint, used when `url` is not set. */
export const DEFAULT_MODEL_URLS: Record<ReviewerModelConfig["api"], string> = {
  openai: "https://api.openai.com/v1/chat/completions",
  anthropic: "https://api.anthropic.com/v1/messages",
};

function reviewerModel(raw: RawReviewerModel): ReviewerModelConfig {
  return {
    api: raw.api,
    model: raw.model,
    url: raw.url ?? DEFAULT_MODEL_URLS[raw.api],
    ...(raw.api_key_secret === undefined ? {} : { apiKeySecret: raw.api_key_secret }),
    timeoutMs: raw.timeout_ms ?? 8_000,
    maxTokens: raw.max_tokens ?? 400,
    cacheTtlS: raw.cache_ttl_s ?? 3_600,
    stream: raw.stream ?? false,
  };
}

/** A policy under construction plus where each value came from. */
export interface Draft {
  policy: Policy;
  values: Record<string, string[]>;
}

/** The built-in defaults: on-request, workspace-write, no network, no rules. */
export function defaultDraft(userConfigFile: string): Draft {
  const policy: Policy = {
    approval: "on-request",
    sandbox: "workspace-write",
    network: { mode: "none", allow: [], deny: [], allowPrivate: [], hosts: {} },
    rules: [],
    audit: { bestEffort: false },
    env: { keep: [], drop: [], set: {} },
    writableRoots: [],
    limits: {},
    filesystem: { read: "everywhere", denyRead: [], allowRead: [] },
    secrets: {},
    requirements: { allowedSandboxModes: [...SANDBOX_MODES], allowedApprovalModes: [...APPROVAL_MODES], allowedNetworkModes: [...NETWORK_MODES], allowedReadModes: [...READ_MODES] },
    userConfigFile,
  };
  const values: Record<string, string[]> = {};
  for (const key of ["approval", "sandbox", "network.mode", "audit.best_effort", "filesystem.read"]) values[key] = [DEFAULTS_LABEL];
  return { policy, values };
}

/** Converts raw `[[rules]]` entries, remembering the file and index. */
export function toRules(raw: RawRule[] | undefined, source: string): Rule[] {
  return (raw ?? []).map((rule, index) => ({
    prefix: rule.prefix,
    decision: rule.decision,
    ...(rule.reason === undefined ? {} : { reason: rule.reason }),
    match: rule.match ?? [],
    notMatch: rule.notMatch ?? [],
    source,
    index,
  }));
}

function set(draft: Draft, key: string, label: string): void {
  draft.values[key] = [label];
}

function extend(draft: Draft, key: string, label: string): void {
  const list = (draft.values[key] ??= []);
  if (!list.includes(label)) list.push(label);
}

/**
 * Resolves a writable root: `~/` is the home directory; a relative path is
 * relative to `base` (the project root), or returned as undefined (an error)
 * when the layer has no base.
 */
export function resolveRoot(root: string, home: string, base: string | undefined): string | undefined {
  if (root === "~" || root.startsWith("~/")) return path.join(home, root.slice(1));
  if (path.isAbsolute(root)) return path.normalize(root);
  return base === undefined ? undefined : path.resolve(base, root);
}

/** Appends the entries not yet in `list`, noting the layer when there were any. */
function extendList(draft: Draft, list: string[], entries: readonly string[] | undefined, key: string, label: string): void {
  if (!entries?.length) return;
  list.push(...entries.filter((entry) => !list.includes(entry)));
  extend(draft, key, label);
}

/** Applies one validated file on top of the draft, with its paths already resolved. */
export function applyLayer(draft: Draft, raw: RawConfig, label: string, paths: ResolvedPaths): void {
  const p = draft.policy;
  const approval = typeof raw.approval === "string" ? { mode: raw.approval } : raw.approval;
  if (approval?.mode) {
    p.approval = approval.mode;
    set(draft, "approval", label);
  }
  if (approval?.reviewer) {
    const { command, timeout_ms: timeoutMs, model } = approval.reviewer;
    p.reviewer = { command, timeoutMs: timeoutMs ?? DEFAULT_REVIEWER_TIMEOUT_MS, ...(model ? { model: reviewerModel(model) } : {}) };
    set(draft, "approval.reviewer", label);
  }
  if (raw.sandbox) {
    p.sandbox = raw.sandbox;
    set(draft, "sandbox", label);
  }
  if (raw.network?.mode) {
    p.network.mode = raw.network.mode;
    set(draft, "network.mode", label);
  }
  for (const list of ["allow", "deny"] as const) {
    const entries = raw.network?.[list];
    if (!entries?.length) continue;
    p.network[list].push(...entries.filter((entry) => !p.network[list].includes(entry)));
    extend(draft, `network.${list}`, label);
  }
  if (raw.network?.allow_private?.length) {
    p.network.allowPrivate.push(...raw.network.allow_private.filter((entry) => !p.network.allowPrivate.includes(entry)));
    extend(draft, "network.allow_private", label);
  }
  if (raw.network?.hosts && Object.keys(raw.network.hosts).length > 0) {
    Object.assign(p.network.hosts, raw.network.hosts);
    extend(draft, "network.hosts", label);
  }
  if (raw.rules?.length) {
    p.rules.push(...toRules(raw.rules, label));
    extend(draft, "rules", label);
  }
  if (raw.audit?.path !== undefined) {
    p.audit.path = raw.audit.path;
    set(draft, "audit.path", label);
  }
  if (raw.limits?.pids !== undefined) {
    p.limits.pids = raw.limits.pids;
    set(draft, "limits.pids", label);
  }
  if (raw.limits?.memory !== undefined) {
    p.limits.memoryMiB = raw.limits.memory;
    set(draft, "limits.memory", label);
  }
  if (raw.audit?.best_effort !== undefined) {
    p.audit.bestEffort = raw.audit.best_effort;
    set(draft, "audit.best_effort", label);
  }
  for (const list of ["keep", "drop"] as const) {
    const names = raw.env?.[list];
    if (!names?.length) continue;
    p.env[list].push(...names.filter((name) => !p.env[list].includes(name)));
    extend(draft, `env.${list}`, label);
  }
  if (raw.env?.set && Object.keys(raw.env.set).length > 0) {
    Object.assign(p.env.set, raw.env.set);
    extend(draft, "env.set", label);
  }
  extendList(draft, p.writableRoots, paths.writableRoots, "writable_roots", label);
  if (raw.filesystem?.read) {
    p.filesystem.read = raw.filesystem.read;
    set(draft, "filesystem.read", label);
  }
  extendList(draft, p.filesystem.denyRead, paths.denyRead, "filesystem.deny_read", label);
  extendList(draft, p.filesystem.allowRead, paths.allowRead, "filesystem.allow_read", label);
  for (const [name, secret] of Object.entries(raw.secrets ?? {})) {
    p.secrets[name] = { env: secret.env, commands: secret.commands };
    set(draft, `secrets.${name}`, label);
  }
}

/** Applies command-line flags (validated by the caller's own parser). */
export function applyOverrides(draft: Draft, overrides: PolicyOverrides): void {
  const p = draft.policy;
  if (overrides.approval) {
    p.approval = overrides.approval;
    set(draft, "approval", CLI_LABEL);
  }
  if (overrides.sandbox) {
    p.sandbox = overrides.sandbox;
    set(draft, "sandbox", CLI_LABEL);
  }
  if (overrides.network) {
    p.network.mode = overrides.network;
    set(draft, "network.mode", CLI_LABEL);
  }
  if (overrides.writableRoots?.length) {
    p.writableRoots.push(...overrides.writableRoots.map((root) => path.resolve(root)));
    extend(draft, "writable_roots", CLI_LABEL);
  }
}
