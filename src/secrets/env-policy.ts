// The `[env]` policy on top of default scrubbing: keep names, drop more names
// or patterns, set values; and what a command's environment loses and gains.
import { scrubEnv } from "./env";
import type { SecretPlan } from "./inject";

/** `[env] keep = [], drop = [], set = {}`. */
export interface EnvPolicy {
  /** Names that survive default scrubbing. */
  keep: string[];
  /** Extra names or glob patterns (`MY_*`, `?` for one character) to remove; they win over `keep`, not over --keep-env. */
  drop: string[];
  /** Names set to these values, after scrubbing and dropping. */
  set: Record<string, string>;
}

export interface EnvPolicyResult {
  env: Record<string, string>;
  /** Names removed (scrubbed or dropped), sorted. */
  dropped: string[];
  /** Names set by the policy, sorted (also when they replaced a value). */
  added: string[];
}

/** Whether name matches a `drop` entry: a name, or a glob where `*` is any run of characters and `?` one character. */
export function matchesEnvPattern(name: string, pattern: string): boolean {
  if (!/[*?]/.test(pattern)) return name === pattern;
  const source = pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${source}$`).test(name);
}

/**
 * The environment a sandboxed command starts from: env scrubbed of secrets
 * and injection vectors except `keep` and `keepFromCli` (--keep-env), then
 * without the `drop` names and patterns (except what --keep-env names), then
 * with `set` applied.
 */
export function applyEnvPolicy(env: NodeJS.ProcessEnv, policy: Partial<EnvPolicy> = {}, keepFromCli: readonly string[] = []): EnvPolicyResult {
  const scrubbed = scrubEnv(env, [...(policy.keep ?? []), ...keepFromCli]);
  const cliKept = new Set(keepFromCli);
  const drop = policy.drop ?? [];
  const dropped = new Set(scrubbed.dropped);
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(scrubbed.env)) {
    if (!cliKept.has(name) && drop.some((pattern) => matchesEnvPattern(name, pattern))) dropped.add(name);
    else result[name] = value;
  }
  const set = policy.set ?? {};
  for (const [name, value] of Object.entries(set)) {
    result[name] = value;
    dropped.delete(name);
  }
  return { env: result, dropped: [...dropped].sort(), added: Object.keys(set).sort() };
}

export interface EnvChanges {
  /** Variables of env the command would not see, sorted. */
  lose: string[];
  /** Variables the command would get: `[env] set` names and injected secrets (their variable names only), sorted. */
  gain: string[];
  /** Secrets the command would not get, and why. */
  withheld: SecretPlan["withheld"];
}

/**
 * For `safe-sh explain`: which variables a command would lose and gain,
 * given its secret plan (from planSecrets). Names only, never values; reads
 * no keyring.
 */
export function envChanges(env: NodeJS.ProcessEnv, policy: Partial<EnvPolicy>, keepFromCli: readonly string[], plan: SecretPlan): EnvChanges {
  const applied = applyEnvPolicy(env, policy, keepFromCli);
  const injected = plan.inject.map((secret) => secret.env);
  const lose = applied.dropped.filter((name) => !injected.includes(name));
  const gain = [...new Set([...applied.added, ...injected])].sort();
  return { lose, gain, withheld: plan.withheld };
}
