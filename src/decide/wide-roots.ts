// Writable places too wide to grant without asking: `/`, a system tree, a
// direct child of `/`, or a directory holding the user's whole home.
import fs = require("node:fs");
import os = require("node:os");
import path = require("node:path");

/**
 * Trees where a writable bind reaches the kernel (/proc/sys, /sys), devices,
 * the system's configuration or its programs. Everything at or below them is
 * wide: as uid 0, writes there change the host (sysctl checks go by uid).
 */
const SYSTEM_TREES = [
  "/proc", "/sys", "/dev", "/etc", "/boot", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/run",
  // /var itself is top-level; below it only the system's own state (/var/tmp is an ordinary scratch place).
  "/var/lib", "/var/log", "/var/cache", "/var/spool", "/var/mail", "/var/backups",
];

/** The path with symlinks resolved (the place a bind mount would reach); the absolute path when it does not exist. */
function realRoot(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return path.resolve(root);
  }
}

function within(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent === "/" ? "/" : `${parent}/`);
}

/** Why `root` is too wide to be writable without approval, or undefined when it is not. */
export function wideRootReason(root: string, home: string = os.homedir()): string | undefined {
  const real = realRoot(root);
  const shown = real === path.resolve(root) ? real : `${root} (${real})`;
  if (real === "/") return `${shown} is the whole filesystem`;
  const tree = SYSTEM_TREES.find((system) => within(real, system));
  if (tree) return `${shown} is inside the system tree ${tree}`;
  if (path.dirname(real) === "/") return `${shown} is a top-level directory`;
  const realHome = home ? realRoot(home) : "";
  if (realHome && within(realHome, real)) return `${shown} holds the whole home directory ${realHome}`;
  return undefined;
}
