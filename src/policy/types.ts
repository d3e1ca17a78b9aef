// Types of the effective policy (after layering and requirements) and of the
// provenance record that says which file each value came from.
import type { NetworkMode, SandboxMode } from "../types";
import type { Verdict } from "../verdict";

export type ApprovalMode = "untrusted" | "on-request" | "on-failure" | "never";
/** The network modes a policy names: the same as the library's. */
export type PolicyNetworkMode = NetworkMode;

export const APPROVAL_MODES: readonly ApprovalMode[] = ["untrusted", "on-request", "on-failure", "never"];
/** "everywhere": all but the masks is readable; "allowlist": only allow_read, the writable roots and the system directories. */
export type ReadMode = "everywhere" | "allowlist";
export const READ_MODES: readonly ReadMode[] = ["everywhere", "allowlist"];

/** A layer's name; "requirements" is the admin's requirements.toml. */
export type LayerName = "defaults" | "system" | "user" | "project" | "cli" | "requirements";

/** A prefix rule over argv. */
export interface Rule {
  prefix: string[];
  decision: Verdict;
  reason?: string;
  /** Examples the prefix must match / must not match (checked at load). */
  match: string[][];
  notMatch: string[][];
  /** The file (or "built-in defaults", "command line") the rule came from. */
  source: string;
  /** Index of the rule in its file's `[[rules]]` array. */
  index: number;
}

/** `[approval.reviewer.model]`: the language model `safe-sh review` asks (docs/reviewer.md). */
export interface ReviewerModelConfig {
  api: "openai" | "anthropic";
  model: string;
  /** The chat-completions or messages endpoint (full URL). */
  url: string;
  /** Keyring secret holding the API key (`safe-sh secret set NAME`); none for a local server. */
  apiKeySecret?: string;
  /** One HTTP request's limit; below the reviewer's own timeout so the verdict says why. */
  timeoutMs: number;
  maxTokens: number;
  /** How long a verdict is reused for the same script, grant and policy; 0 never. */
  cacheTtlS: number;
  /** Ask for a streamed answer (server-sent events). */
  stream: boolean;
}

export interface ReviewerConfig {
  command: string[];
  timeoutMs: number;
  model?: ReviewerModelConfig;
}

export interface SecretConfig {
  env: string;
  commands: string[][];
}

export interface Requirements {
  allowedSandboxModes: SandboxMode[];
  allowedApprovalModes: ApprovalMode[];
  allowedNetworkModes: PolicyNetworkMode[];
  allowedReadModes: ReadMode[];
}

/** The effective policy the decide step and the run path work from. */
export interface Policy {
  approval: ApprovalMode;
  sandbox: SandboxMode;
  network: { mode: PolicyNetworkMode; allow: string[]; deny: string[]; allowPrivate: string[]; hosts: Record<string, string> };
  /** Requirements rules first, then defaults, system, user, project, in file order. */
  rules: Rule[];
  reviewer?: ReviewerConfig;
  audit: { path?: string; bestEffort: boolean };
  env: { keep: string[]; drop: string[]; set: Record<string, string> };
  writableRoots: string[];
  /** `[limits]`: processes at once and MiB of memory, of the whole run or per process (docs/limits.md; 0: none); unset keys keep the defaults. */
  limits: { pids?: number; memoryMiB?: number };
  /** Read rules: deny_read paths are masked (added to the built-in masks); allow_read is the read allowlist. Paths absolute, `~` expanded. */
  filesystem: { read: ReadMode; denyRead: string[]; allowRead: string[] };
  secrets: Record<string, SecretConfig>;
  requirements: Requirements;
  /** The user config file ("always" approvals append rules here). */
  userConfigFile: string;
}

/** One configuration file and what happened to it. */
export interface SourceFile {
  layer: LayerName;
  path: string;
  status: "loaded" | "missing" | "untrusted";
}

/** Where each value came from: key path ("network.mode", "rules") → sources in layer order. */
export interface PolicySources {
  files: SourceFile[];
  values: Record<string, string[]>;
  /** Root of the project whose `.safe-sh/config.toml` applies (trusted or not), if any. */
  projectRoot?: string;
}

/** Values given on the command line; they win over every file (within requirements). */
export interface PolicyOverrides {
  approval?: ApprovalMode;
  sandbox?: SandboxMode;
  network?: PolicyNetworkMode;
  writableRoots?: string[];
}
