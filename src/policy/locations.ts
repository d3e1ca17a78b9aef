// Where configuration and state live: system, user and project files, each
// overridable for tests (options) and for the CLI (SAFE_SH_* variables).
import fs = require("node:fs");
import os = require("node:os");
import path = require("node:path");

export interface PolicyLocations {
  /** Default $SAFE_SH_SYSTEM_CONFIG_DIR, else /etc/safe-sh (config.toml, requirements.toml). */
  systemDir?: string;
  /** Default $SAFE_SH_CONFIG_DIR, else $XDG_CONFIG_HOME/safe-sh, else ~/.config/safe-sh. */
  userConfigDir?: string;
  /** Default $SAFE_SH_STATE_DIR, else $XDG_STATE_HOME/safe-sh, else ~/.local/state/safe-sh (trusted projects). */
  stateDir?: string;
  /** Where the project's `.safe-sh/config.toml` is looked up from; default process.cwd(). */
  cwd?: string;
  /** Environment to read the variables above from; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface ResolvedLocations {
  systemDir: string;
  userConfigDir: string;
  stateDir: string;
  cwd: string;
  home: string;
}

function xdg(env: NodeJS.ProcessEnv, variable: string, fallback: string): string {
  const value = env[variable];
  // The XDG spec says relative values are invalid and must be ignored.
  return value && path.isAbsolute(value) ? value : fallback;
}

/** Fills in every location from options, then the environment, then the defaults. */
export function resolveLocations(options: PolicyLocations = {}): ResolvedLocations {
  const env = options.env ?? process.env;
  const home = env.HOME || os.homedir();
  return {
    systemDir: options.systemDir ?? (env.SAFE_SH_SYSTEM_CONFIG_DIR || "/etc/safe-sh"),
    userConfigDir:
      options.userConfigDir ?? (env.SAFE_SH_CONFIG_DIR || path.join(xdg(env, "XDG_CONFIG_HOME", path.join(home, ".config")), "safe-sh")),
    stateDir:
      options.stateDir ?? (env.SAFE_SH_STATE_DIR || path.join(xdg(env, "XDG_STATE_HOME", path.join(home, ".local", "state")), "safe-sh")),
    cwd: path.resolve(options.cwd ?? process.cwd()),
    home,
  };
}

/** The project's config file name relative to its root. */
export const PROJECT_CONFIG = path.join(".safe-sh", "config.toml");

/**
 * The nearest directory at or above cwd that holds `.safe-sh/config.toml`,
 * as a real path; undefined when there is none.
 */
export function findProjectRoot(cwd: string): string | undefined {
  let dir: string;
  try {
    dir = fs.realpathSync(cwd);
  } catch {
    return undefined;
  }
  for (;;) {
    if (fs.existsSync(path.join(dir, PROJECT_CONFIG))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
