// SafeShell: plan → spawn the launcher → stream → clean up. The unguarded
// primitive: it confines but neither classifies, decides, asks nor records
// (Session does). Each run gets its own private TMPDIR, removed afterwards.
import type { ChildProcess, StdioOptions } from "node:child_process";
import fs = require("node:fs");
import os = require("node:os");
import path = require("node:path");
import type { AskAnswer, ConnectionEvent, ProxyHandle } from "./net";
import type { lazyProxy } from "./net/proxy";
import { buildPlan, type SandboxPlan } from "./sandbox/plan";
import { launcherArgs } from "./sandbox/linux";
import { launcherPath, probe, resumePipe, spawnNative, type StdioMode } from "./sandbox/native";
import { hostPlatform, type Platform } from "./sandbox/platform";
import { resumeChildPipe, spawnWithChildProcess } from "./sandbox/spawn-fallback";
import { REPORT_FD, reportCollector } from "./sandbox/report";
import { removeFilteredCopies } from "./sandbox/toolchain";
import { createCapture } from "./capture";
import { SafeShError } from "./errors";
import { killGroup, type Killable } from "./process-group";
import { refuseNulInRun } from "./nul-bytes";
import { randomId } from "./random-id";
import type { EnforcementReport, LimitName, RunOptions, RunResult, SandboxOptions } from "./types";

export interface SpawnOptions extends RunOptions {
  /** stdio of the launcher; default "pipe". */
  stdio?: StdioOptions;
  /** Own process group (so a timeout or kill reaches the whole tree). Default true. */
  detached?: boolean;
}

export interface StartOptions extends RunOptions {
  /** stdin, stdout, stderr of the launcher; default all "pipe" (stdin gets `input`, then EOF). */
  stdio?: [StdioMode, StdioMode, StdioMode];
  /** Own session and process group (so a timeout or kill reaches the whole tree). Default true. */
  detached?: boolean;
  /**
   * Each chunk of a piped stdout or stderr, as it arrives. Returning false
   * pauses that stream (the command's writes block) until resume(stream):
   * pass output on with back-pressure instead of buffering it.
   */
  onData?: (stream: "stdout" | "stderr", chunk: Buffer) => boolean | void;
  /** macOS: the id the profile tags this run's denials with (see watchViolations); default a fresh one. */
  runId?: string;
}

export interface RunEnd {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** A confined command started by start(). */
export interface LaunchedRun {
  readonly pid: number;
  /** The plan it runs under: what is enforced and what is missing (see enforcement()). */
  readonly plan: SandboxPlan;
  /** Signals the launcher, which passes it on to the command; false once it has exited. */
  kill(signal?: NodeJS.Signals): boolean;
  /** Reads a stream paused by onData returning false again. */
  resume(stream: "stdout" | "stderr"): void;
  /** Settles once the command has exited and its piped outputs have ended. */
  readonly closed: Promise<RunEnd>;
  /** What the launcher enforced, settled at exec; undefined when it ended before exec. */
  readonly enforced: Promise<EnforcementReport | undefined>;
  /** Limits the run reached, settled when the launcher exits (empty without a run cgroup). */
  readonly limitsReached: Promise<LimitName[]>;
}

/**
 * A bash script, or an argv. A Buffer (the script, or a word) carries exact
 * bytes through to execve, as bash would pass them: text that is not UTF-8
 * (a file name, `printf $'caf\xe9'`) is not turned into U+FFFD on the way.
 */
export type Command = string | Buffer | readonly (string | Buffer)[];

/** The launcher started by spawn(), with what it reports having enforced. */
export type ConfinedChild = ChildProcess & { readonly enforced: Promise<EnforcementReport | undefined>; readonly limitsReached: Promise<LimitName[]> };

/** The argv that runs a script the way `bash -c` / `bash -lc` would. */
export function shellArgv(command: Command, login = false): (string | Buffer)[] {
  if (typeof command === "string" || Buffer.isBuffer(command)) return ["bash", login ? "-lc" : "-c", command];
  return [...(command as readonly (string | Buffer)[])];
}

/** A word as text (bytes that are not UTF-8 show as U+FFFD): for what only reads it. */
export function wordText(word: string | Buffer): string {
  return typeof word === "string" ? word : word.toString("utf8");
}

export interface SafeShellOptions extends SandboxOptions {
  /** Called once per proxied connection (network "allowlist"), when it ends. */
  onNetworkEvent?: (event: ConnectionEvent) => void;
  /** Asked about a host no allow/deny entry names (network "allowlist"); without it such hosts are refused. */
  onUnknownHost?: (host: string, port: number) => Promise<AskAnswer>;
}

/**
 * Confined runs without the gate: no classification, policy, approval or
 * audit trail. Use Session for commands an agent wrote; use SafeShell when
 * the caller has already decided the command may run.
 */
export class SafeShell {
  private readonly defaults: SafeShellOptions;
  private proxy: Promise<ReturnType<typeof lazyProxy>> | undefined;
  private proxyHandle: ProxyHandle | undefined;

  /** `platform`: which enforcer runs go through; default this machine's (tests pass macOS's with a stand-in launcher). */
  constructor(defaults: SafeShellOptions = {}, private readonly platform: Platform = hostPlatform()) {
    this.defaults = { ...defaults };
  }

  /**
   * The allowlist proxy, created on first use: most runs never load the proxy
   * code. The promise is kept at once, so concurrent first runs share one
   * proxy (each making its own left all but one listening after close()).
   */
  private allowlistProxy(): Promise<ReturnType<typeof lazyProxy>> {
    return (this.proxy ??= this.makeAllowlistProxy());
  }

  private async makeAllowlistProxy(): Promise<ReturnType<typeof lazyProxy>> {
    const rules = this.defaults.networkRules ?? {};
    const { lazyProxy: makeProxy } = await import("./net/proxy");
    return makeProxy({
      allow: rules.allow ?? [],
      deny: rules.deny ?? [],
      allowPrivate: rules.allowPrivate ?? [],
      hosts: rules.hosts ?? {},
      ...(rules.configFile ? { configFile: rules.configFile } : {}),
      ...(this.defaults.onNetworkEvent ? { onConnection: this.defaults.onNetworkEvent } : {}),
      ...(this.defaults.onUnknownHost ? { ask: this.defaults.onUnknownHost } : {}),
      // No network namespace on macOS to bridge a socket into: the profile lets commands reach this port only.
      ...(this.platform.os === "darwin" ? { listen: { host: "127.0.0.1", port: 0 } } : {}),
    });
  }

  /**
   * Starts what runs need ahead of spawn(): the allowlist proxy, once per
   * SafeShell, shared by concurrent runs. run() calls it itself.
   */
  async prepare(options: RunOptions = {}): Promise<void> {
    if ((options.network ?? this.defaults.network) === "allowlist") this.proxyHandle = await (await this.allowlistProxy()).get();
  }

  /** Stops the proxy, if one was started. */
  async close(): Promise<void> {
    this.proxyHandle = undefined;
    await (await this.proxy)?.close();
  }

  /** The plan a run with these options would use; `hostTmpdir` is called only when /tmp can't be private (always on macOS). Throws as buildPlan does. */
  plan(options: RunOptions, hostTmpdir: () => string): SandboxPlan {
    if (this.platform.os === "darwin") {
      const { buildDarwinPlan } = require("./sandbox/darwin/plan") as typeof import("./sandbox/darwin/plan");
      const { localHost } = require("./sandbox/darwin/launch") as typeof import("./sandbox/darwin/launch");
      return buildDarwinPlan({ ...this.darwinOptions(options), runId: randomId(), tmpdir: hostTmpdir() }, localHost());
    }
    const proxySocket = this.proxyHandle?.socketPath;
    return buildPlan({ ...this.defaults, ...options, ...(proxySocket ? { proxySocket } : {}) }, hostTmpdir, probe());
  }

  /**
   * Everything a run needs before the launcher starts: the plan, the launcher's argv, and the removal of the run's private
   * TMPDIR, to call when it ends. Throws as spawn() does.
   */
  private launch(command: Command, options: RunOptions & { runId?: string }, reportFd: number): { file: string; args: (string | Buffer)[]; plan: SandboxPlan; cleanup(): void } {
    if (this.platform.os === "darwin") return this.launchDarwin(command, options, reportFd);
    let tmpdir: string | undefined;
    let filteredCopies: string[] | undefined;
    const cleanup = () => {
      if (tmpdir) fs.rmSync(tmpdir, { recursive: true, force: true });
      removeFilteredCopies(filteredCopies);
    };
    try {
      // Before anything is decided on these strings: a NUL would cut them short in the launcher.
      refuseNulInRun(command, { ...this.defaults, ...options });
      const plan = this.plan(options, () => (tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-"))));
      filteredCopies = plan.filteredCopies;
      const argv = shellArgv(command, options.login);
      return { file: launcherPath(), args: exactWords(launcherArgs(plan, argv.map(wordText), reportFd), argv), plan, cleanup };
    } catch (error) {
      cleanup();
      throw error;
    }
  }

  /** A macOS run's options: the defaults, these, and the proxy's TCP port once it listens. */
  private darwinOptions<T extends RunOptions>(options: T): SafeShellOptions & T & { proxyPort?: number } {
    const port = this.proxyHandle?.port;
    return { ...this.defaults, ...options, ...(port !== undefined ? { proxyPort: port } : {}) };
  }

  /** launch() on macOS: the Seatbelt plan and profile, the proxy's TCP port. */
  private launchDarwin(command: Command, options: RunOptions & { runId?: string }, reportFd: number): { file: string; args: (string | Buffer)[]; plan: SandboxPlan; cleanup(): void } {
    refuseNulInRun(command, { ...this.defaults, ...options });
    const { darwinLaunch } = require("./sandbox/darwin/launch") as typeof import("./sandbox/darwin/launch");
    const argv = shellArgv(command, options.login);
    const launched = darwinLaunch(this.darwinOptions(options), argv.map(wordText), undefined, {
      ...(this.platform.launcher ? { file: this.platform.launcher } : {}),
      reportFd,
    });
    return { ...launched, args: exactWords(launched.args, argv) };
  }

  /**
   * Starts a confined command and returns a real ChildProcess (the launcher,
   * which becomes the command), for callers that want Node streams; its
   * `enforced` settles with the launcher's report at exec. The report comes
   * on one more pipe, after the stdio given. `command` is a bash script or an
   * argv. Throws ERR_SAFESH_NOT_ENFORCED, ERR_SAFESH_WORKSPACE,
   * ERR_SAFESH_NATIVE, ERR_SAFESH_UNSUPPORTED_PLATFORM.
   */
  spawn(command: string | readonly string[], options: SpawnOptions = {}): ConfinedChild {
    const given = options.stdio ?? "pipe";
    const stdio = typeof given === "string" ? [given, given, given] : [...given];
    while (stdio.length < REPORT_FD) stdio.push("pipe");
    const reportFd = stdio.length;
    stdio.push("pipe");
    // child_process takes strings only: Buffers go through start() and run().
    const { file, args, plan, cleanup } = this.launch(command, options, reportFd);
    let child: ChildProcess;
    try {
      // Loaded here: start() and run() never need child_process.
      const { spawn: spawnProcess } = require("node:child_process") as typeof import("node:child_process");
      child = spawnProcess(file, args.map(wordText), { env: plan.env, cwd: plan.cwd, stdio, detached: options.detached ?? true });
    } catch (error) {
      cleanup();
      throw error;
    }
    child.once("exit", cleanup);
    child.once("error", cleanup);
    const collector = reportCollector();
    const pipe = child.stdio[reportFd] as NodeJS.ReadableStream | null | undefined;
    if (pipe) {
      pipe.on("data", (chunk: Buffer) => collector.push(chunk));
      pipe.on("end", collector.end);
      pipe.on("error", collector.end);
    } else {
      collector.end();
    }
    return Object.assign(child, { enforced: collector.report, limitsReached: collector.limitsReached });
  }

  /**
   * Starts a confined command through the addon's posix_spawn (no fork of
   * Node, no child_process: the fast path run() and the CLI take). Output of
   * piped stdout/stderr goes to `onData`. Throws as spawn() does.
   */
  start(command: Command, options: StartOptions = {}): LaunchedRun {
    const { file, args, plan, cleanup } = this.launch(command, options, REPORT_FD);
    const report = reportCollector();
    const stdio = options.stdio ?? ["pipe", "pipe", "pipe"];
    let exited = false;
    let resolveClosed!: (end: RunEnd) => void;
    const closed = new Promise<RunEnd>((resolve) => (resolveClosed = resolve));
    let pid: number;
    // macOS's addon has no spawn: child_process there, as for Bun and Deno.
    const [spawnLauncher, resumeLauncherPipe] = this.platform.os === "darwin" ? [spawnWithChildProcess, resumeChildPipe] : [spawnNative, resumePipe];
    try {
      pid = spawnLauncher(
        {
          file,
          argv: [file, ...args],
          env: Object.entries(plan.env).map(([name, value]) => `${name}=${value}`),
          cwd: plan.cwd,
          stdio,
          newSession: options.detached ?? true,
          ...(stdio[0] === "pipe" ? { input: Buffer.from(options.input ?? "") } : {}),
          reportPipe: true,
        },
        {
          onData: (index, chunk) => (index === REPORT_FD ? report.push(chunk) : options.onData?.(index === 1 ? "stdout" : "stderr", chunk)),
          onEnd: (index) => index === REPORT_FD && report.end(),
          onClose: (exitCode, signal) => {
            report.end(); // settled already unless the pipe never opened
            exited = true;
            cleanup();
            resolveClosed({ exitCode, signal: signal === null ? null : signalName(signal) });
          },
        },
      );
    } catch (error) {
      cleanup();
      throw error;
    }
    return {
      pid,
      plan,
      closed,
      resume: (stream) => resumeLauncherPipe(pid, stream === "stdout" ? 1 : 2),
      enforced: report.report,
      limitsReached: report.limitsReached,
      kill(signal: NodeJS.Signals = "SIGTERM") {
        if (exited) return false;
        try {
          process.kill(pid, signal);
          return true;
        } catch {
          return false; // ESRCH: exiting
        }
      },
    };
  }

  /**
   * Runs a confined command to completion and collects its output, at most
   * `maxBuffer` bytes per stream (default 16 MiB; `truncated` says when more
   * was dropped). With timeoutMs (at least 1; any length), the whole process
   * group is killed when it elapses. Throws as spawn() does, and
   * ERR_SAFESH_USAGE for a bad timeoutMs or maxBuffer.
   */
  async run(command: Command, options: RunOptions = {}): Promise<RunResult> {
    const started = process.hrtime.bigint();
    const { timeoutMs } = options;
    if (timeoutMs !== undefined && !(timeoutMs >= 1)) {
      throw new SafeShError("ERR_SAFESH_USAGE", `timeoutMs must be at least 1, not ${String(timeoutMs)}`, "pass the timeout in milliseconds, or leave it out for none");
    }
    await this.prepare(options);
    const out = createCapture(options.redact ?? {}, options.maxBuffer);
    const err = createCapture(options.redact ?? {}, options.maxBuffer);
    const child = this.start(command, {
      ...options,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
      onData: (stream, chunk) => (stream === "stdout" ? out : err).push(chunk),
    });
    const timeout = killAfter(child, options.timeoutMs);
    const { exitCode, signal } = await child.closed;
    timeout.cancel();
    // Whatever the command left running in its group goes with it.
    killGroup(child, "SIGKILL");
    const stdout = out.finish();
    const stderr = err.finish();
    const enforced = await child.enforced;
    const limitsReached = await child.limitsReached;
    return {
      exitCode,
      signal,
      stdout: stdout.text,
      stderr: stderr.text,
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      timedOut: timeout.fired(),
      truncated: { stdout: stdout.truncated, stderr: stderr.truncated },
      droppedBytes: { stdout: stdout.droppedBytes, stderr: stderr.droppedBytes },
      ...(enforced ? { enforced } : {}),
      ...(limitsReached.length > 0 ? { limitsReached } : {}),
    };
  }
}

/** The launcher's flags end in `-- ARGV`: the command's own words put back as given (bytes included). */
function exactWords(args: readonly string[], argv: readonly (string | Buffer)[]): (string | Buffer)[] {
  return [...args.slice(0, args.length - argv.length), ...argv];
}

/** SIGKILL for 9. */
function signalName(signal: number): NodeJS.Signals {
  const found = Object.entries(os.constants.signals).find(([, number]) => number === signal);
  return (found?.[0] ?? `SIG${signal}`) as NodeJS.Signals;
}

/** setTimeout's longest delay: a longer one fires after 1 ms (Node warns and clamps). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Kills the launcher and its process group with SIGKILL once `ms` elapse
 * (the launcher's death takes the whole pid namespace with it; the group
 * covers degraded runs without one). No timer when `ms` is undefined; delays
 * beyond setTimeout's range are waited out in steps.
 */
export function killAfter(child: Killable, ms: number | undefined, onFire?: () => void): { fired(): boolean; cancel(): void } {
  let fired = false;
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    fired = true;
    onFire?.();
    child.kill("SIGKILL");
    killGroup(child, "SIGKILL");
  };
  const wait = (left: number) => {
    timer = left > MAX_TIMER_MS ? setTimeout(() => wait(left - MAX_TIMER_MS), MAX_TIMER_MS) : setTimeout(fire, left);
  };
  if (ms !== undefined) wait(ms);
  return { fired: () => fired, cancel: () => clearTimeout(timer) };
}
