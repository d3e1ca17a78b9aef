// Public types of the safe-sh library.

/** Sandbox modes, narrowest first: a later one is an escalation of an earlier one. */
export const SANDBOX_MODES = ["read-only", "workspace-write", "full-access"] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];
/** Network modes, narrowest first: a later one is an escalation of an earlier one. */
export const NETWORK_MODES = ["none", "allowlist", "full"] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];

export interface SandboxOptions {
  /** Directory the command may write (workspace-write). Default: process.cwd(). */
  workspace?: string;
  /** Default "workspace-write". */
  sandbox?: SandboxMode;
  /** Default "none". "allowlist": only the domains in `allow`, through safe-sh's proxy. */
  network?: NetworkMode;
  /** With network "allowlist": what may be reached (`example.com`, `*.example.com`, `host:443`) and what never. */
  networkRules?: NetworkRules;
  /** Extra writable directories. */
  writableRoots?: string[];
  /** Environment variable names passed through although they look secret. */
  keepEnv?: string[];
  /** Run even when the kernel enforces less than the policy asks; what is missing is reported. */
  allowDegraded?: boolean;
  /** Base environment (default process.env); it is scrubbed of secrets. */
  env?: NodeJS.ProcessEnv;
  /** Paths relative to each writable root kept read-only; default DEFAULT_PROTECTED. */
  protectedPaths?: string[];
  /** Paths (relative to $HOME unless absolute) that can't be read or listed; default DEFAULT_MASKED. */
  maskedPaths?: string[];
  /** A throwaway writable layer over $HOME with per-workspace package caches (default true). */
  homeLayer?: boolean;
  /** Processes at once and MiB of memory (the whole run with a run cgroup, else per process: docs/limits.md); default DEFAULT_LIMITS, 0 turns one off. */
  limits?: { pids?: number; memoryMiB?: number };
  /** More paths that can't be read or listed, added to maskedPaths (policy `filesystem.deny_read`). */
  denyRead?: string[];
  /**
   * A read allowlist (policy `filesystem.read = "allowlist"`): only these, the
   * writable roots, the workspace and READ_ALLOWLIST_SYSTEM_DIRS are readable,
   * enforced by Landlock. Undefined: everything but the masks is readable.
   */
  readAllowlist?: string[];
}

export interface NetworkRules {
  allow?: string[];
  deny?: string[];
  /** Private or loopback addresses or hosts that may be connected to (DNS rebinding guard exceptions). */
  allowPrivate?: string[];
  /** Static name → address mappings, like curl's --resolve. */
  hosts?: Record<string, string>;
  /** The config file these rules came from: refusals tell the user to edit it. */
  configFile?: string;
}

export interface RunOptions extends SandboxOptions {
  /** Working directory of the command; default the workspace. */
  cwd?: string;
  /** Kill the whole process tree after this many milliseconds. */
  timeoutMs?: number;
  /** Bytes written to the command's stdin. */
  input?: string | Buffer;
  /** Run the script as a login shell (bash -lc). */
  login?: boolean;
  /** Secret values by name: replaced by `[REDACTED:NAME]` in the output run() returns. */
  redact?: Record<string, string>;
  /**
   * run(): bytes of stdout and of stderr kept, each (default 16 MiB), counted
   * after redaction and cut on a character boundary. Output past it is read
   * and dropped (the command is not stopped; use timeoutMs); `truncated` and
   * `droppedBytes` say so.
   */
  maxBuffer?: number;
}

export interface RunResult {
  /** The command's exit status; null when it was killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** True when timeoutMs elapsed and the tree was killed. */
  timedOut: boolean;
  /** Which streams printed more than maxBuffer bytes (the rest was dropped). */
  truncated: { stdout: boolean; stderr: boolean };
  /** Bytes (of the redacted output) each stream printed past maxBuffer: read and dropped. */
  droppedBytes: { stdout: number; stderr: number };
  /** What the launcher enforced, as it reported just before exec; undefined when it ended before exec. */
  enforced?: EnforcementReport;
  /** Limits the command reached (a fork refused at the pids limit, an OOM kill at the memory limit); needs a run cgroup (docs/limits.md). */
  limitsReached?: LimitName[];
}

/** A resource limit of the sandbox. */
export type LimitName = "pids" | "memory";

/** How a limit holds: a run cgroup, an rlimit, the pid namespace's pid_max, or not at all. */
export type LimitMechanism = "cgroup v2" | "cgroup v1" | "RLIMIT_NPROC" | "RLIMIT_DATA" | "pid_max" | "none";

/**
 * What safe-sh-exec applied to the command, reported over a close-on-exec
 * pipe just before execve (so it is what ran, not a prediction).
 */
export interface EnforcementReport {
  /** null when Landlock was not applied (degraded mode). Rights use Landlock's names, e.g. "write_file". */
  landlock: { abi: number; fs: string[]; net: string[]; scoped: string[] } | null;
  seccomp: boolean;
  noNewPrivs: boolean;
  capabilitiesDropped: boolean;
  /** Namespaces the command runs in: "user", "mount", "pid", "net". */
  namespaces: string[];
  /** Everything outside the writable roots is a read-only mount (metadata included). */
  readOnlyView: boolean;
  privateTmp: boolean;
  /** How many protected paths were re-bound read-only, and how many mask paths were asked for. */
  protected: number;
  masked: number;
  /** Guarantees the launcher found missing (e.g. a Landlock feature this kernel's ABI lacks). */
  missing: string[];
  /** macOS: the run's Seatbelt profile was applied (the Linux fields are then false and empty). */
  seatbelt?: boolean;
  /** How the pids and memory limits hold for this run (absent from launchers before cgroup limits). */
  limits?: Record<LimitName, LimitMechanism>;
}

export interface ProbeResult {
  platform: NodeJS.Platform;
  /** 0 when Landlock is unavailable. */
  landlockAbi: number;
  seccomp: boolean;
  userNamespaces: boolean;
  netNamespaces: boolean;
  /** One line per missing feature. */
  reasons: string[];
  /** Absolute path of safe-sh-exec, or null when it is not built. */
  launcherPath: string | null;
}

/**
 * Risk levels, lowest to highest; a script takes its highest. `execute` runs
 * code the kernel sandbox confines (builds, tests, interpreters); `unknown`
 * is what is hidden from analysis (eval of dynamic text, dynamic names, parse errors).
 */
export const RISKS = ["read-only", "write", "network", "execute", "unknown", "destructive", "privileged"] as const;
export type Risk = (typeof RISKS)[number];

/** One command found anywhere in a script. */
export interface CommandInfo {
  /** The argv after wrappers were peeled; words that are not literal are kept as written. */
  argv: string[];
  /** Wrappers peeled off in order, e.g. ["sudo", "env", "timeout"]. */
  wrappers: string[];
  risk: Risk;
  /** Human-readable reasons naming the exact token, e.g. "rm -r: recursive delete of src". */
  reasons: string[];
  /** The command name is built at run time (`$CMD`, `$(…)`): no rule can name what it runs. */
  nameNotLiteral?: true;
}

export interface Classification {
  risk: Risk;
  /** Reasons for the script's risk (from the commands that set it, and from structure). */
  reasons: string[];
  commands: CommandInfo[];
  /** Set when the script could not be fully parsed (risk is then at least "unknown"). */
  parseError?: string;
}
