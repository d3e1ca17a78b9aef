// Resource limits of a sandboxed run: defaults, and how the launcher applies
// them here (docs/limits.md has the details and the fallbacks).
import os = require("node:os");

export interface ResourceLimits {
  /** Most processes at once in the sandbox (about: see docs/limits.md); 0 for no limit. */
  pids: number;
  /** Most private writable memory per process, in MiB; 0 for no limit. */
  memoryMiB: number;
}

/** On by default: far above what builds and test runners use, far below what hurts a host. */
export const DEFAULT_LIMITS: ResourceLimits = { pids: 1024, memoryMiB: 8192 };

/** Largest value of either limit (the kernel's pid limit; 4 PiB of memory). */
export const MAX_LIMIT = 4_194_304;

function atLeast(release: string, wantMajor: number, wantMinor: number): boolean {
  const [major = 0, minor = 0] = release.split(/[.-]/).map(Number);
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

/** pid_max is per pid namespace from Linux 6.14: below that, a root caller gets no process limit. */
export function pidNamespaceLimitWorks(release = os.release()): boolean {
  return atLeast(release, 6, 14);
}

/**
 * RLIMIT_NPROC counts per user namespace from Linux 5.14; before, it counts
 * every process of the user, so a limit would stop a busy user's sandbox
 * at its first fork. The process limit is then left off.
 */
export function processLimitWorks(release = os.release()): boolean {
  return atLeast(release, 5, 14);
}

/** One line per limit for `safe-sh doctor`: what applies to a run by this user. */
export function describeLimits(limits: ResourceLimits, uid = process.getuid?.() ?? -1, release = os.release()): string[] {
  const lines: string[] = [];
  if (limits.pids === 0) {
    lines.push("processes: no limit");
  } else if (!processLimitWorks(release)) {
    lines.push(`processes: none on Linux ${release} (RLIMIT_NPROC counts per user namespace from 5.14)`);
  } else {
    const how = [uid === 0 ? undefined : "RLIMIT_NPROC in the sandbox's user namespace", pidNamespaceLimitWorks(release) ? "pid_max of its pid namespace" : undefined].filter(Boolean);
    lines.push(how.length > 0 ? `processes: ${limits.pids} (${how.join(" + ")})` : `processes: none for root on Linux ${release} (needs 6.14 for a per-namespace pid_max)`);
  }
  lines.push(limits.memoryMiB === 0 ? "memory: no limit" : `memory: ${limits.memoryMiB} MiB of data per process (RLIMIT_DATA)`);
  return lines;
}
