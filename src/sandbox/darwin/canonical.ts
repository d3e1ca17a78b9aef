// Canonical paths for Seatbelt: it matches the path the kernel resolved
// (/tmp is /private/tmp, symlinks followed), so a rule on any other spelling
// silently never matches. Missing tails are kept beneath a resolved parent.
import path = require("node:path");

/** realpath(3) of an existing path; throws for a missing one (fs.realpathSync.native fits). */
export type RealPath = (p: string) => string;

/**
 * The canonical form of an absolute path: the deepest existing ancestor
 * resolved through `realpath`, the missing rest appended as written.
 */
export function canonicalPath(p: string, realpath: RealPath): string {
  const absolute = path.posix.resolve("/", p);
  const missing: string[] = [];
  for (let dir = absolute; ; dir = path.posix.dirname(dir)) {
    try {
      return path.posix.join(realpath(dir), ...missing.reverse());
    } catch {
      if (dir === "/") return absolute;
      missing.push(path.posix.basename(dir));
    }
  }
}

/** Canonical, de-duplicated, in first-seen order. */
export function canonicalPaths(paths: readonly string[], realpath: RealPath): string[] {
  return [...new Set(paths.map((p) => canonicalPath(p, realpath)))];
}
