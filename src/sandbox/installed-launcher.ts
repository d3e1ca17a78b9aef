// The launcher `safe-sh setup apparmor` installs at a fixed root-owned path,
// the one path its AppArmor profile lets create user namespaces (Ubuntu 23.10+).
import fs = require("node:fs");
import path = require("node:path");

export const INSTALLED_LAUNCHER = "/usr/local/libexec/safe-sh/safe-sh-exec";
/** Written next to it by setup: the package version it came from. */
export const INSTALLED_STAMP = `${INSTALLED_LAUNCHER}.version`;

/**
 * The installed launcher, when it is root-owned, writable by no one else (a
 * file others could replace must not be run) and from this package version
 * (its flags match ours); else undefined and the package's own launcher runs.
 */
export function installedLauncher(version: string, file = INSTALLED_LAUNCHER, stamp = INSTALLED_STAMP): string | undefined {
  try {
    const st = fs.statSync(file);
    const dir = fs.statSync(path.dirname(file));
    if (st.uid !== 0 || dir.uid !== 0 || (st.mode & 0o022) !== 0 || (dir.mode & 0o022) !== 0) return undefined;
    return fs.readFileSync(stamp, "utf8").trim() === version ? file : undefined;
  } catch {
    return undefined;
  }
}
