// Builds the sandbox plan for one run from the options and what the kernel
// can enforce; refuses (fails closed) when a guarantee would be missing.
import fs = require("node:fs");
import path = require("node:path");
import { SafeShError } from "../errors";
import { scrubEnv } from "../secrets/env";
import { DEFAULT_LIMITS, MAX_LIMIT, processLimitWorks, type ResourceLimits } from "./limits";
import { landlockAbiCap } from "./abi-cap";
import { DEFAULT_MASKED, DEFAULT_PROTECTED, planProtection } from "./protected";
import { cacheRoot, planToolchain, removeFilteredCopies, type Bind } from "./toolchain";
import { enforcedGuarantees } from "./report";
import type { EnforcementReport, NetworkMode, ProbeResult, SandboxMode, SandboxOptions } from "../types";

export interface SandboxPlan {
  mode: SandboxMode;
  network: NetworkMode;
  /** Real path of the workspace. */
  workspace: string;
  cwd: string;
  readRoots: string[];
  writeRoots: string[];
  devices: string[];
  env: Record<string, string>;
  /** Environment variables removed by scrubbing. */
  droppedEnv: string[];
  allowDegraded: boolean;
  /** Guarantees the kernel cannot give; non-empty only with allowDegraded. */
  notEnforced: string[];
  /** User, mount, pid (and net) namespaces with a private /tmp and fresh /proc. */
  namespaces: boolean;
  /** Read-only inside writable roots. */
  protect: string[];
  /** Missing protected paths, renamed aside if the run creates them. */
  sweep: string[];
  /** Unreadable, unlistable paths. */
  mask: string[];
  /** The run's private temporary directory as the command sees it. */
  tmpdir: string;
  /** With network "allowlist": the proxy's Unix socket (outside) and the bridge port (inside). */
  proxy?: { socketPath: string; port: number };
  /** The real home under a throwaway writable layer (namespaces only). */
  homeLayer?: string;
  /** Package caches and filtered config files bound into the sandbox. */
  binds: Bind[];
  /** The run's filtered config copies; removed when the run ends. */
  filteredCopies?: string[];
  /** Process and memory limits (0: none). */
  limits: ResourceLimits;
  /** Tests only (SAFE_SH_LANDLOCK_MAX_ABI): the launcher acts as a kernel with at most this Landlock ABI. */
  landlockMaxAbi?: number;
}

/** The port the bridge listens on inside the sandbox's network namespace. */
export const PROXY_PORT = 3128;

/** Proxy variables for a command whose only route is the bridge. */
export function proxyEnv(port: number): Record<string, string> {
  const url = `http://127.0.0.1:${port}`;
  const noProxy = "localhost,127.0.0.1,::1";
  return {
    HTTP_PROXY: url, HTTPS_PROXY: url, ALL_PROXY: `socks5h://127.0.0.1:${port}`, NO_PROXY: noProxy,
    http_proxy: url, https_proxy: url, all_proxy: `socks5h://127.0.0.1:${port}`, no_proxy: noProxy,
  };
}

/**
 * What a shell and common toolchains need to start under a read allowlist:
 * the system trees (programs, libraries, /etc), /proc, /dev and CPU facts,
 * and toolchains installed in the home directory. Those that exist are added.
 */
export const READ_ALLOWLIST_SYSTEM_DIRS = [
  "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt", "/nix", "/proc", "/dev", "/sys/devices/system/cpu",
  "~/.nvm", "~/.volta", "~/.pyenv", "~/.cargo", "~/.rustup", "~/go", "~/.local/bin", "~/.local/lib", "~/.sdkman",
];

/** Device nodes every command may read, write and ioctl. */
export const DEFAULT_DEVICES = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"];

function realDirectory(dir: string, what: string): string {
  let real: string;
  try {
    real = fs.realpathSync.native(dir);
  } catch {
    throw new SafeShError("ERR_SAFESH_WORKSPACE", `${what} ${dir} does not exist`, `create it or pass an existing directory`);
  }
  if (!fs.statSync(real).isDirectory()) {
    throw new SafeShError("ERR_SAFESH_WORKSPACE", `${what} ${dir} is not a directory`, `pass a directory`);
  }
  return real;
}

/** Whether runs get user, mount, pid (and net) namespaces here: a private /tmp, the read-only view, masks. */
function usesNamespaces(facts: ProbeResult, network: NetworkMode): boolean {
  return facts.userNamespaces && (network !== "none" || facts.netNamespaces);
}

/** The guarantees missing on this machine for a plan, each naming what it leaves open; empty when all hold. */
export function missingGuarantees(facts: ProbeResult, network: NetworkMode): string[] {
  const missing: string[] = [];
  if (facts.landlockAbi === 0) missing.push("filesystem confinement (Landlock)");
  if (!facts.seccomp) missing.push("syscall filter (seccomp)");
  if (!usesNamespaces(facts, network)) {
    const why = facts.userNamespaces ? "no network namespaces for --network none" : "no user namespaces";
    missing.push(`the read-only view outside the writable roots: mode, owner, times, xattrs and ACLs of files there can be changed (${why})`);
    missing.push(`protected paths, credential and deny_read masks, private /tmp and process-tree containment (${why})`);
  }
  if (network === "allowlist" && !facts.netNamespaces) {
    missing.push("the network allowlist (a network namespace whose only route is the proxy)");
  }
  return missing;
}

/** The read roots of an allowlist: the system directories that exist, the entries, the workspace. */
function readAllowlist(entries: readonly string[], workspace: string, home: string | undefined): string[] {
  const expand = (dir: string) => (dir.startsWith("~/") ? (home ? path.join(home, dir.slice(2)) : undefined) : dir);
  const dirs = [...READ_ALLOWLIST_SYSTEM_DIRS.map(expand), ...entries.map((entry) => path.resolve(entry)), workspace];
  return [...new Set(dirs.filter((dir): dir is string => dir !== undefined && fs.existsSync(dir)))];
}

/** Sockets and stores that hand out authority, from this environment. */
function authoritySockets(env: NodeJS.ProcessEnv): string[] {
  const found: string[] = [];
  if (env.SSH_AUTH_SOCK) found.push(env.SSH_AUTH_SOCK);
  const runtime = env.XDG_RUNTIME_DIR ?? (process.getuid ? `/run/user/${process.getuid()}` : undefined);
  if (runtime) found.push(`${runtime}/bus`, `${runtime}/gnupg`, `${runtime}/keyring`, `${runtime}/docker.sock`);
  return found;
}

/**
 * Plans one run. `tmpdir` is the run's private temporary directory.
 * Throws ERR_SAFESH_WORKSPACE for a missing workspace or cwd, and
 * ERR_SAFESH_NOT_ENFORCED when the kernel enforces less than asked and
 * allowDegraded is not set.
 */
export function buildPlan(options: SandboxOptions & { cwd?: string; proxySocket?: string }, hostTmpdir: () => string, facts: ProbeResult): SandboxPlan {
  const mode = options.sandbox ?? "workspace-write";
  const network = options.network ?? "none";
  const workspace = realDirectory(options.workspace ?? process.cwd(), "workspace");
  const cwd = options.cwd ? realDirectory(path.resolve(workspace, options.cwd), "working directory") : workspace;
  const allowDegraded = options.allowDegraded ?? false;

  const missing = missingGuarantees(facts, network);
  const abiCap = landlockAbiCap();
  // The allowlist is never degraded into an open network (issue 9): refuse.
  if (network === "allowlist" && !facts.netNamespaces) {
    throw new SafeShError("ERR_SAFESH_NOT_ENFORCED", "the network allowlist needs user and network namespaces, which this kernel refuses", "run `safe-sh doctor`; use --network none, or --network full if you accept an open network");
  }
  if (missing.length > 0 && !allowDegraded) {
    throw new SafeShError(
      "ERR_SAFESH_NOT_ENFORCED",
      `this kernel cannot enforce: ${missing.join(", ")}`,
      "run `safe-sh doctor` for details; pass --allow-degraded to run with less confinement",
    );
  }

  // With namespaces /tmp itself is a private tmpfs that dies with the run;
  // without, a private directory on the host's /tmp is made and removed.
  const namespaces = usesNamespaces(facts, network);
  const tmpdir = namespaces ? "/tmp" : hostTmpdir();
  const projectRoots = mode === "workspace-write" ? [workspace, ...(options.writableRoots ?? []).map((dir) => realDirectory(dir, "writable root"))] : [];
  const writeRoots = [tmpdir, ...projectRoots];
  if (mode === "full-access") writeRoots.push("/");

  const baseEnv = options.env ?? process.env;
  const limits = resourceLimits(options.limits);
  if (!processLimitWorks()) limits.pids = 0;
  // No home layer with a read allowlist: as a writable root it would make the whole home readable.
  const toolchain = namespaces ? planToolchain(baseEnv, workspace, writeRoots, options.homeLayer ?? !options.readAllowlist, mode !== "read-only") : { binds: [], filtered: [] };
  // Filtered config files are bound, not masked; safe-sh's own caches are masked.
  // A user's own deny_read masks even a filtered file (the mask goes on top of its bind).
  const masked = [...(options.maskedPaths ?? DEFAULT_MASKED).filter((entry) => !toolchain.filtered.includes(entry)), ...(options.denyRead ?? []), ...authoritySockets(baseEnv)];
  if (baseEnv.HOME) masked.push(cacheRoot(baseEnv, baseEnv.HOME));
  let protection: ReturnType<typeof planProtection> = { protect: [], sweep: [], mask: [] };
  try {
    if (namespaces) protection = planProtection(projectRoots, options.protectedPaths ?? DEFAULT_PROTECTED, masked, baseEnv.HOME, [workspace, cwd, ...projectRoots]);
  } catch (error) {
    removeFilteredCopies(toolchain.filteredCopies);
    throw error;
  }

  const scrubbed = scrubEnv(baseEnv, options.keepEnv);
  let proxy: SandboxPlan["proxy"];
  if (network === "allowlist") {
    if (!options.proxySocket) throw new SafeShError("ERR_SAFESH_USAGE", "network allowlist without a running proxy", "call `await shell.prepare()` before spawn() (run() does it for you)");
    proxy = { socketPath: options.proxySocket, port: PROXY_PORT };
  }
  const env = { ...scrubbed.env, TMPDIR: tmpdir, TMP: tmpdir, TEMP: tmpdir, ...(proxy ? proxyEnv(proxy.port) : {}) };

  return {
    mode,
    network,
    workspace,
    cwd,
    // A read-only workspace is named too, so one under /tmp is bound into
    // the private /tmp like a writable one.
    readRoots: options.readAllowlist ? readAllowlist(options.readAllowlist, workspace, baseEnv.HOME) : mode === "read-only" ? ["/", workspace] : ["/"],
    writeRoots,
    devices: DEFAULT_DEVICES.filter((device) => fs.existsSync(device)),
    env,
    droppedEnv: scrubbed.dropped,
    allowDegraded,
    notEnforced: missing,
    namespaces,
    ...protection,
    tmpdir,
    ...(proxy ? { proxy } : {}),
    ...(toolchain.homeLayer ? { homeLayer: toolchain.homeLayer } : {}),
    binds: toolchain.binds,
    ...(toolchain.filteredCopies ? { filteredCopies: toolchain.filteredCopies } : {}),
    limits,
    ...(abiCap !== undefined ? { landlockMaxAbi: abiCap } : {}),
  };
}

/** The run's limits from the options over DEFAULT_LIMITS. Throws ERR_SAFESH_USAGE for a bad value. */
export function resourceLimits(given: SandboxOptions["limits"] = {}): ResourceLimits {
  const limits = { ...DEFAULT_LIMITS, ...given };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_LIMIT) {
      throw new SafeShError("ERR_SAFESH_USAGE", `limits.${key} ${value} is not a whole number from 0 to ${MAX_LIMIT}`, `set limits.${key} to a number, or 0 for no limit`);
    }
  }
  return limits;
}

/**
 * What a run enforced, from the launcher's own report (not predicted from
 * the plan), and what it lacks, for the audit trail's exec record. Without a
 * report the launcher ended before exec: nothing is claimed.
 */
export function enforcement(plan: SandboxPlan | undefined, report: EnforcementReport | undefined): { enforced: string[]; degraded: string[] } {
  if (!plan) return { enforced: [], degraded: [] };
  if (!report) return { enforced: [], degraded: [...plan.notEnforced, "no enforcement report: the launcher ended before exec"] };
  const enforced = [...enforcedGuarantees(report), "env scrubbed"];
  if (plan.homeLayer) enforced.push("throwaway home layer");
  const how = (limit: "pids" | "memory") => (report.limits ? ` (${report.limits[limit]})` : "");
  if (plan.limits.pids > 0 && plan.namespaces) enforced.push(`pids limit ${plan.limits.pids}${how("pids")}`);
  if (plan.limits.memoryMiB > 0) enforced.push(`memory limit ${plan.limits.memoryMiB} MiB${how("memory")}`);
  if (plan.network === "allowlist") enforced.push("network allowlist proxy");
  return { enforced, degraded: [...new Set([...plan.notEnforced, ...report.missing])] };
}
