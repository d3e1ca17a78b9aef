// `safe-sh setup apparmor`: installs the launcher at the one root-owned path
// its AppArmor profile names, and loads the profile granting it `userns`.
import { execFileSync } from "node:child_process";
import fs = require("node:fs");
import path = require("node:path");
import { SafeShError } from "../errors";
import { INSTALLED_LAUNCHER, INSTALLED_STAMP } from "../sandbox/installed-launcher";
import { packageRoot } from "../sandbox/native";

export interface AppArmorPaths {
  launcher: string;
  stamp: string;
  profile: string;
  /** apparmor_parser (looked up on PATH when bare). */
  parser: string;
}

export const APPARMOR_PATHS: AppArmorPaths = {
  launcher: INSTALLED_LAUNCHER,
  stamp: INSTALLED_STAMP,
  profile: "/etc/apparmor.d/safe-sh-exec",
  parser: "apparmor_parser",
};

const RESTRICT_SYSCTL = "/proc/sys/kernel/apparmor_restrict_unprivileged_userns";

/**
 * True when Ubuntu's restriction is on (the sysctl reads 1): a user namespace
 * then gets capabilities only under a profile granting `userns`.
 * SAFE_SH_APPARMOR_SYSCTL names another file to read, for tests only.
 */
export function userNamespacesRestricted(env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    return fs.readFileSync(env.SAFE_SH_APPARMOR_SYSCTL || RESTRICT_SYSCTL, "utf8").trim() === "1";
  } catch {
    return false;
  }
}

/** The profile shipped in the package (packaging/apparmor/safe-sh-exec). */
export function profileText(): string {
  return fs.readFileSync(path.join(packageRoot(), "packaging", "apparmor", "safe-sh-exec"), "utf8");
}

/** The exact command a user runs to set this up, for doctor and hints. */
export function setupCommand(extra = ""): string {
  return `sudo ${process.execPath} ${path.join(packageRoot(), "bin", "safe-sh")} setup apparmor${extra}`;
}

/** Writes a file by rename, so a reader never sees it half-written. */
function writeAtomically(file: string, data: Buffer | string, mode: number): void {
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, data, { mode });
  fs.chmodSync(partial, mode); // the umask must not widen or narrow it
  fs.renameSync(partial, file);
}

function runParser(paths: AppArmorPaths, args: string[]): void {
  try {
    execFileSync(paths.parser, args, { stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === "ENOENT") {
      throw new SafeShError("ERR_SAFESH_USAGE", `${paths.parser} not found`, "install AppArmor's tools (Debian/Ubuntu: apt install apparmor)", { cause: error });
    }
    const detail = e.stderr?.toString("utf8").trim().split("\n")[0] ?? e.message;
    throw new SafeShError("ERR_SAFESH_USAGE", `${paths.parser} ${args.join(" ")}: ${detail}`, "the kernel may lack AppArmor (see /sys/kernel/security/apparmor) or the parser be older than 4.0 (no `userns` rule)", { cause: error });
  }
}

/**
 * Copies `launcher` (the package's own) to paths.launcher with a version
 * stamp, writes the profile and loads it (apparmor_parser -r). Throws
 * ERR_SAFESH_USAGE when the parser is missing or refuses the profile.
 */
export function installAppArmor(launcher: string, version: string, paths: AppArmorPaths = APPARMOR_PATHS): void {
  const dir = path.dirname(paths.launcher);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  writeAtomically(paths.launcher, fs.readFileSync(launcher), 0o755);
  writeAtomically(paths.stamp, `${version}\n`, 0o644);
  fs.mkdirSync(path.dirname(paths.profile), { recursive: true });
  writeAtomically(paths.profile, profileText(), 0o644);
  runParser(paths, ["-r", "-W", paths.profile]);
}

/** Unloads the profile (when loaded) and removes what installAppArmor wrote. */
export function uninstallAppArmor(paths: AppArmorPaths = APPARMOR_PATHS): void {
  if (fs.existsSync(paths.profile)) {
    try {
      runParser(paths, ["-R", paths.profile]);
    } catch {
      // Not loaded (or no AppArmor): removing the files is all there is to do.
    }
  }
  for (const file of [paths.profile, paths.stamp, paths.launcher]) fs.rmSync(file, { force: true });
  try {
    fs.rmdirSync(path.dirname(paths.launcher));
  } catch {
    // not empty, or already gone: leave it
  }
}
