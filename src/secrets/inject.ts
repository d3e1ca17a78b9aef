// Which secrets a script gets: a secret goes into the environment only when
// every command of the script matches one of its argv-prefix rules.
import { SafeShError } from "../errors";
import type { SecretReader } from "./store";

/** `[secrets.NAME] env = "GH_TOKEN"`, `commands = [["gh"], ["git", "push"]]`. */
export interface SecretRule {
  name: string;
  /** Environment variable the value is injected as. */
  env: string;
  /** Argv prefixes; a command matches when its argv starts with one, word for word. */
  commands: string[][];
}

export interface SecretPlan {
  /** In rule order. */
  inject: { name: string; env: string }[];
  /** Secrets with a rule that this script does not get, and why. */
  withheld: { name: string; reason: string }[];
}

/**
 * Whether argv starts with prefix, word for word. An empty prefix matches
 * nothing (it would hand the secret to every program). The program is
 * compared as written: `./gh` or `/tmp/gh` is not `gh`.
 */
export function matchesPrefix(argv: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length > 0 && prefix.length <= argv.length && prefix.every((word, i) => argv[i] === word);
}

const show = (words: readonly string[]) => words.join(" ");

/**
 * Decides which secrets a script gets. `commands` is the argv of every
 * command in the script after wrapper peeling (keep prefix assignments such
 * as `PATH=. gh` in the argv so they don't match). The values reach the whole
 * script's environment, so one command outside a secret's rules withholds it.
 */
export function planSecrets(commands: readonly (readonly string[])[], rules: readonly SecretRule[]): SecretPlan {
  const plan: SecretPlan = { inject: [], withheld: [] };
  for (const rule of rules) {
    if (commands.length === 0) {
      plan.withheld.push({ name: rule.name, reason: "the script runs no command" });
      continue;
    }
    const outside = commands.find((argv) => !rule.commands.some((prefix) => matchesPrefix(argv, prefix)));
    if (outside === undefined) {
      plan.inject.push({ name: rule.name, env: rule.env });
    } else {
      const allowed = rule.commands.filter((prefix) => prefix.length > 0).map(show);
      const allowedText = allowed.length > 0 ? allowed.join("; ") : "no commands";
      plan.withheld.push({ name: rule.name, reason: `\`${show(outside)}\` is not one of its commands (${allowedText})` });
    }
  }
  return plan;
}

/**
 * Reads the values the plan injects, keyed by environment variable. `store`
 * may be a function that opens the keyring, called only when something is
 * injected. Throws ERR_SAFESH_SECRET_UNAVAILABLE when a value is missing or
 * the keyring can't be read: the command must not run without it.
 */
export async function resolveSecrets(plan: SecretPlan, store: SecretReader | (() => Promise<SecretReader>)): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  if (plan.inject.length === 0) return env;
  let reader: SecretReader;
  try {
    reader = typeof store === "function" ? await store() : store;
  } catch (error) {
    throw unavailable(plan.inject.map((s) => s.name).join(", "), `the keyring is unavailable: ${(error as Error).message}`, error);
  }
  for (const { name, env: variable } of plan.inject) {
    let value: string | null;
    try {
      value = await reader.get(name);
    } catch (error) {
      throw unavailable(name, (error as Error).message, error);
    }
    if (value === null || value === "") throw unavailable(name, "it is not in the keyring");
    env[variable] = value;
  }
  return env;
}

function unavailable(name: string, why: string, cause?: unknown): SafeShError {
  return new SafeShError(
    "ERR_SAFESH_SECRET_UNAVAILABLE",
    `refused: the command needs secret ${name}, which can't be read (${why})`,
    `store it with \`safe-sh secret set ${name.split(", ")[0]}\`, or run \`safe-sh secret list\` to see what is stored`,
    { cause },
  );
}

/** Secret values by secret name (what redaction labels them with), from the plan and resolveSecrets' result. */
export function valuesByName(plan: SecretPlan, resolved: Record<string, string>): Record<string, string> {
  const byName: Record<string, string> = {};
  for (const { name, env } of plan.inject) {
    const value = resolved[env];
    if (value !== undefined) byName[name] = value;
  }
  return byName;
}
