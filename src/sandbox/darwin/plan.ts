// The plan of one run on macOS: the same options as on Linux, resolved to
// canonical paths, plus the Seatbelt input its profile is generated from.
import path = require("node:path");
import { SafeShError } from "../../errors";
import { scrubEnv } from "../../secrets/env";
import type { SandboxOptions } from "../../types";
import type { SandboxPlan } from "../plan";
import { proxyEnv } from "../plan";
import { DEFAULT_MASKED, DEFAULT_PROTECTED, planProtection } from "../protected";
import { canonicalPath, canonicalPaths, type RealPath } from "./canonical";
import { DARWIN_MASKED } from "./masks";
import type { SeatbeltInput } from "./profile";

/** Device nodes every command may write and ioctl on macOS (dyld opens /dev/dtracehelper). */
export const DARWIN_DEVICES = ["/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/dtracehelper"];

export interface DarwinPlanOptions extends SandboxOptions {
  cwd?: string;
  /** Tags the profile's denials; see SeatbeltInput.runId. */
  runId: string;
  /** The run's private temporary directory, already created. */
  tmpdir: string;
  /** With network "allowlist": the proxy's TCP port on 127.0.0.1. */
  proxyPort?: number;
  /** The policy's [filesystem] allow_read (absolute, or relative to $HOME); deny_read is SandboxOptions.denyRead. */
  allowRead?: string[];
}

export interface DarwinPlan extends SandboxPlan {
  seatbelt: SeatbeltInput;
}

/** What the plan builder reads from the machine; injectable so tests run anywhere. */
export interface DarwinHost {
  realpath: RealPath;
  isDirectory(p: string): boolean;
  exists(p: string): boolean;
  home: string;
}

function realDirectory(host: DarwinHost, dir: string, what: string): string {
  let real: string;
  try {
    real = host.realpath(dir);
  } catch {
    throw new SafeShError("ERR_SAFESH_WORKSPACE", `${what} ${dir} does not exist`, "create it or pass an existing directory");
  }
  if (!host.isDirectory(real)) throw new SafeShError("ERR_SAFESH_WORKSPACE", `${what} ${dir} is not a directory`, "pass a directory");
  return real;
}

const underHome = (home: string) => (entry: string): string => (path.posix.isAbsolute(entry) ? entry : path.posix.join(home, entry));

/**
 * Plans one run on macOS. Throws ERR_SAFESH_WORKSPACE for a missing
 * workspace, cwd or writable root, or a protected path that is a symlink;
 * ERR_SAFESH_USAGE for an allowlist without a proxy port;
 * ERR_SAFESH_NOT_ENFORCED for a read allowlist.
 */
export function buildDarwinPlan(options: DarwinPlanOptions, host: DarwinHost): DarwinPlan {
  const mode = options.sandbox ?? "workspace-write";
  const network = options.network ?? "none";
  const workspace = realDirectory(host, options.workspace ?? process.cwd(), "workspace");
  const cwd = options.cwd ? realDirectory(host, path.posix.resolve(workspace, options.cwd), "working directory") : workspace;
  const tmpdir = realDirectory(host, options.tmpdir, "temporary directory");
  // The profile reads everywhere but the masks: a read allowlist would silently not hold.
  if (options.readAllowlist) {
    throw new SafeShError("ERR_SAFESH_NOT_ENFORCED", "a read allowlist ([filesystem] read = \"allowlist\") is not enforced on macOS", "use deny_read for what must stay unreadable there; see docs/platforms.md");
  }
  if (network === "allowlist" && options.proxyPort === undefined) {
    throw new SafeShError("ERR_SAFESH_USAGE", "network allowlist without a running proxy", "call `await shell.prepare()` before spawn() (run() does it for you)");
  }
  const projectRoots = mode === "workspace-write" ? [workspace, ...(options.writableRoots ?? []).map((dir) => realDirectory(host, dir, "writable root"))] : [];
  const writeRoots = mode === "full-access" ? ["/"] : [tmpdir, ...projectRoots];

  const baseEnv = options.env ?? process.env;
  const home = host.home;
  // The macOS stores are added to any list, as the authority sockets are on
  // Linux: a caller extending the defaults (the CLI adds its audit dir) keeps them.
  const masked = [...(options.maskedPaths ?? DEFAULT_MASKED), ...DARWIN_MASKED, ...(baseEnv.SSH_AUTH_SOCK ? [baseEnv.SSH_AUTH_SOCK] : [])];
  const protection = planProtection(projectRoots, options.protectedPaths ?? DEFAULT_PROTECTED, masked, home, [workspace, cwd, ...projectRoots]);
  // Seatbelt denies creating a missing path as it denies writing an existing
  // one: the Linux sweep list becomes plain protected paths here.
  const protect = canonicalPaths([...protection.protect, ...protection.sweep], host.realpath);
  const denyRead = canonicalPaths([...protection.mask, ...(options.denyRead ?? []).map(underHome(home))], host.realpath);
  const allowRead = canonicalPaths((options.allowRead ?? []).map(underHome(home)), host.realpath);
  const devices = DARWIN_DEVICES.filter((device) => host.exists(device)).map((device) => canonicalPath(device, host.realpath));

  const scrubbed = scrubEnv(baseEnv, options.keepEnv);
  const env = { ...scrubbed.env, TMPDIR: `${tmpdir}/`, TMP: tmpdir, TEMP: tmpdir, ...(network === "allowlist" ? proxyEnv(options.proxyPort!) : {}) };
  return {
    mode,
    network,
    workspace,
    cwd,
    readRoots: ["/"],
    writeRoots,
    devices,
    env,
    droppedEnv: scrubbed.dropped,
    allowDegraded: options.allowDegraded ?? false,
    notEnforced: [],
    namespaces: false,
    protect,
    sweep: [],
    mask: denyRead,
    tmpdir,
    // Linux's toolchain binds and resource limits have no macOS counterpart yet.
    binds: [],
    limits: { pids: 0, memoryMiB: 0 },
    seatbelt: { runId: options.runId, network, ...(network === "allowlist" ? { proxyPort: options.proxyPort! } : {}), writeRoots, protect, denyRead, allowRead, devices },
  };
}
