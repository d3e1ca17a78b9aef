// The Session's public types: how it is opened, how one run is asked for,
// and what a run returns.
import type { AuditOptions } from "../audit";
import type { HumanAnswer } from "../decide/approve";
import type { ApprovalRequest, ApprovalResult, Grant } from "../decide/types";
import type { PolicySources, Policy } from "../policy/types";
import type { Platform } from "../sandbox/platform";
import type { LaunchedRun } from "../run";
import type { LimitName, Risk } from "../types";
import type { Verdict } from "../verdict";

export interface SessionOptions {
  /** The directory commands may write; default process.cwd(). */
  workspace?: string;
  /** Default: loadPolicy() from the workspace (system, user, trusted project files). */
  policy?: Policy;
  /** Where the policy's values came from (with `policy`): names the file to edit in notices. */
  sources?: PolicySources;
  /** Overrides of the policy's [audit] settings (path, sessionId, ...). */
  audit?: AuditOptions;
  /** Environment variable names passed through although they look secret. */
  keepEnv?: string[];
  /** Run even when the kernel enforces less than the policy asks. */
  allowDegraded?: boolean;
  /** Base environment of commands (scrubbed); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The human may be asked on /dev/tty (the CLI); default false. */
  terminal?: boolean;
  /** Asks the human another way (e.g. MCP elicitation); tried instead of the terminal. */
  ask?: (request: ApprovalRequest) => Promise<HumanAnswer>;
  /** Tagged on every audit record: who asked for the runs (e.g. an MCP client's name). */
  client?: string;
  /** safe-sh's own one-line notices (warnings, hints); default: written to stderr. */
  notify?: (line: string) => void;
  /** Which enforcer runs go through; default this machine's (tests use macOS's with a stand-in launcher). */
  platform?: Platform;
}

export interface SessionRunOptions {
  /** Working directory, relative to the workspace or absolute; default the workspace. */
  cwd?: string;
  /** Run a script as a login shell (bash -lc). */
  login?: boolean;
  /** Access asked for beyond the policy (sandbox, network, writable roots): an escalation to approve. */
  request?: Partial<Grant>;
  timeoutMs?: number;
  /**
   * "pipe" (default): output is captured, bounded and returned; stdin gets `input`.
   * "inherit": the caller's stdin/stdout/stderr are the command's (a terminal stays one).
   */
  stdio?: "pipe" | "inherit";
  input?: string | Buffer;
  /** With stdio "pipe": bytes kept per stream; default 1 MiB. */
  maxOutputBytes?: number;
  /** Aborting kills the command's whole tree. */
  signal?: AbortSignal;
  /** Each chunk of output as it arrives (stdio "pipe"). */
  onData?: (stream: "stdout" | "stderr", chunk: Buffer) => void;
  /**
   * The argv's exact words, those that are not UTF-8 as Buffers (as the CLI
   * received them): run as given and recorded losslessly beside `display`.
   */
  exactArgv?: readonly (string | Buffer)[];
  /** This run's notices (warnings, hints); default the session's `notify`. */
  notify?: (line: string) => void;
  /** Called once the confined command has started (e.g. to forward signals to it). */
  onStart?: (run: LaunchedRun) => void;
}

export interface SessionResult {
  /** What a shell would report: the command's status, 128+N for a signal, 126 when refused before running. */
  status: number;
  /** Whether the command ran (false: refused before running). */
  ran: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Captured output (stdio "pipe"), with truncation said at its end. */
  stdout: string;
  stderr: string;
  truncated: { stdout: boolean; stderr: boolean };
  timedOut: boolean;
  cancelled: boolean;
  /** Limits the command reached (with a run cgroup: docs/limits.md). */
  limitsReached?: LimitName[];
  risk: Risk;
  /** The policy's verdict before any approver: allow, ask or deny. */
  decision: Verdict;
  /** The classification's and the decision's reasons. */
  reasons: string[];
  approval: ApprovalResult;
  /** With a refusal: how to get the command through next time. */
  hint?: string;
  /** Guarantees the kernel enforced, and those missing (degraded mode). */
  enforced: string[];
  degraded: string[];
  /** on-failure re-ran the command with more access. */
  rerun: boolean;
  runId: string;
  durationMs: number;
}
