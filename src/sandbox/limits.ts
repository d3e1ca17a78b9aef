// Resource limits of a sandboxed run: defaults, how the launcher applies them
// here, and the line said when a run reaches one (docs/limits.md).
import os = require("node:os");
import type { LimitName } from "../types";

export interface ResourceLimits {
  /** Most processes at once in the sandbox (about: see docs/limits.md); 0 for no limit. */
  pids: number;
  /** Most memory: of the whole run with a cgroup, per process with RLIMIT_DATA; in MiB; 0 for no limit. */
  memoryMiB: number;
}

/** On by default: far above what builds and test runners use, far below what hurts a host. */
export const DEFAULT_LIMITS: ResourceLimits = { pids: 1024, memoryMiB: 8192 };

/** Largest value of either limit (the kernel's pid limit; 4 PiB of memory). */
export const MAX_LIMIT = 4_194_304;

/** Where the launcher would put each limit, and why (`safe-sh-exec --probe-limits`). */
export type CgroupProbe = Record<LimitName, { version: "cgroup v2" | "cgroup v1" | "none"; parent: string; enable: boolean; why: string }>;

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

function rlimitProcesses(limits: ResourceLimits, uid: number, release: string): string {
  if (!processLimitWorks(release)) return `processes: none on Linux ${release} (RLIMIT_NPROC counts per user namespace from 5.14)`;
  const how = [uid === 0 ? undefined : "RLIMIT_NPROC in the sandbox's user namespace", pidNamespaceLimitWorks(release) ? "pid_max of its pid namespace" : undefined].filter(Boolean);
  return how.length > 0 ? `processes: ${limits.pids} (${how.join(" + ")})` : `processes: none for root on Linux ${release} (needs 6.14 for a per-namespace pid_max)`;
}

/**
 * One line per limit for `safe-sh doctor`: what applies to a run by this
 * user, and why that mechanism (`cgroups`: the launcher's --probe-limits).
 */
export function describeLimits(limits: ResourceLimits, cgroups?: CgroupProbe, uid = process.getuid?.() ?? -1, release = os.release()): string[] {
  const pids = cgroups?.pids;
  const memory = cgroups?.memory;
  const lines: string[] = [];
  if (limits.pids === 0) lines.push("processes: no limit");
  else if (pids && pids.version !== "none" && processLimitWorks(release)) lines.push(`processes: ${limits.pids} for the whole run (${pids.why})`);
  else lines.push(`${rlimitProcesses(limits, uid, release)}${pids ? ` — no cgroup: ${pids.why}` : ""}`);
  if (limits.memoryMiB === 0) lines.push("memory: no limit");
  else if (memory && memory.version !== "none") lines.push(`memory: ${limits.memoryMiB} MiB for the whole run, no swap (${memory.why})`);
  else lines.push(`memory: ${limits.memoryMiB} MiB of data per process (RLIMIT_DATA)${memory ? ` — no cgroup: ${memory.why}` : ""}`);
  return lines;
}

/** The one line said when a run reached a limit, naming the config key and file to raise it in. */
export function limitMessage(limit: LimitName, limits: ResourceLimits, configFile: string): string {
  return limit === "pids"
    ? `safe-sh: the command reached the process limit (${limits.pids}); raise [limits] pids in ${configFile} if it needs more`
    : `safe-sh: the command hit the memory limit (${limits.memoryMiB} MiB) and a process of it was killed; raise [limits] memory in ${configFile} if it needs more`;
}
