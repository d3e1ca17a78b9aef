// Environment scrubbing: secrets and injection vectors never reach the
// sandboxed command unless the user keeps them by name.

/** Names that look like credentials (matched case-insensitively against each _-separated part or the whole). */
export const SECRET_PATTERN = /(^|_)(KEY|KEYS|SECRET|SECRETS|TOKEN|TOKENS|PASSWORD|PASSWD|PASS|CREDENTIAL|CREDENTIALS|AUTH|COOKIE|COOKIES|PRIVATE|APIKEY|ACCESS_KEY)(_|$)/i;

/** Exact names or prefixes that hand out authority or change what programs execute. */
export const DROPPED_NAMES: ReadonlySet<string> = new Set([
  // credentials and agents
  "SSH_AUTH_SOCK", "SSH_AGENT_PID", "GPG_AGENT_INFO", "DBUS_SESSION_BUS_ADDRESS", "DOCKER_HOST",
  "KUBECONFIG", "GOOGLE_APPLICATION_CREDENTIALS", "NETRC", "VAULT_ADDR", "DATABASE_URL",
  // injection vectors: code that runs before or around the intended program
  "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "BASH_ENV", "ENV", "PROMPT_COMMAND", "PS4",
  "SHELLOPTS", "BASHOPTS", "NODE_OPTIONS", "PYTHONSTARTUP", "PYTHONPATH", "PERL5OPT", "PERL5LIB",
  "RUBYOPT", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXTERNAL_DIFF",
  "GIT_PAGER", "GIT_EXEC_PATH", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
  "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "LESSOPEN", "LESSCLOSE", "PAGER", "MANPAGER",
  "EDITOR", "VISUAL", "npm_config_script_shell",
]);
export const DROPPED_PREFIXES: readonly string[] = ["AWS_", "AZURE_", "GCP_", "GOOGLE_CLOUD_", "BASH_FUNC_", "DYLD_", "GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_", "NPM_CONFIG__AUTH", "npm_config__auth"];

export interface ScrubbedEnv {
  env: Record<string, string>;
  /** Names removed, sorted. */
  dropped: string[];
}

/** Whether a variable is removed by default, and so needs --keep-env to pass. */
export function isScrubbed(name: string): boolean {
  return DROPPED_NAMES.has(name) || DROPPED_PREFIXES.some((prefix) => name.startsWith(prefix)) || SECRET_PATTERN.test(name);
}

/** Removes secrets and injection vectors from env, except the names in keep. */
export function scrubEnv(env: NodeJS.ProcessEnv, keep: readonly string[] = []): ScrubbedEnv {
  const kept = new Set(keep);
  const result: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (!kept.has(name) && isScrubbed(name)) {
      dropped.push(name);
      continue;
    }
    result[name] = value;
  }
  return { env: result, dropped: dropped.sort() };
}
