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
import { launcherPath, probe, spawnNative, type StdioMode } from "./sandbox/native";
import { createRedactor } from "./secrets/redact";
import { killGroup, type Killable } from "./process-group";
import type { RunOptions, RunResult, SandboxOptions } from "./types";

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
  /** Each chunk of a piped stdout or stderr, as it arrives. */
  onData?: (stream: "stdout" | "stderr", chunk: Buffer) => void;
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
  /** Settles once the command has exited and its piped outputs have ended. */
  readonly closed: Promise<RunEnd>;
}

/** The argv that runs a script the way `bash -c` / `bash -lc` would. */
export function shellArgv(command: string | readonly string[], login = false): string[] {
  if (typeof command !== "string") return [...command];
  return ["bash", login ? "-lc" : "-c", command];
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
  private proxy: ReturnType<typeof lazyProxy> | undefined;
  private proxyHandle: ProxyHandle | undefined;

  constructor(defaults: SafeShellOptions = {}) {
    this.defaults = { ...defaults };
  }

  /** The allowlist proxy, created on first use: most runs never load the proxy code. */
  private async allowlistProxy(): Promise<ReturnType<typeof lazyProxy>> {
    if (this.proxy) return this.proxy;
    const rules = this.defaults.networkRules ?? {};
    const { lazyProxy: makeProxy } = await import("./net/proxy");
    this.proxy = makeProxy({
      allow: rules.allow ?? [],
      deny: rules.deny ?? [],
      allowPrivate: rules.allowPrivate ?? [],
      hosts: rules.hosts ?? {},
      ...(rules.configFile ? { configFile: rules.configFile } : {}),
      ...(this.defaults.onNetworkEvent ? { onConnection: this.defaults.onNetworkEvent } : {}),
      ...(this.defaults.onUnknownHost ? { ask: this.defaults.onUnknownHost } : {}),
    });
    return this.proxy;
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
    await this.proxy?.close();
  }

  /** The plan a run with these options would use; `hostTmpdir` is called only when /tmp can't be private. Throws as buildPlan does. */
  plan(options: RunOptions, hostTmpdir: () => string): SandboxPlan {
    const proxySocket = this.proxyHandle?.socketPath;
    return buildPlan({ ...this.defaults, ...options, ...(proxySocket ? { proxySocket } : {}) }, hostTmpdir, probe());
  }

  /**
   * Everything a run needs before the launcher starts: the plan, the launcher's argv, and the removal of the run's private
   * TMPDIR, to call when it ends. Throws as spawn() does.
   */
  private launch(command: string | readonly string[], options: RunOptions): { file: string; args: string[]; plan: SandboxPlan; cleanup(): void } {
    let tmpdir: string | undefined;
    const cleanup = () => {
      if (tmpdir) fs.rmSync(tmpdir, { recursive: true, force: true });
    };
    try {
      const plan = this.plan(options, () => (tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-"))));
      return { file: launcherPath(), args: launcherArgs(plan, shellArgv(command, options.login)), plan, cleanup };
    } catch (error) {
      cleanup();
      throw error;
    }
  }

  /**
   * Starts a confined command and returns a real ChildProcess (the launcher,
   * which becomes the command), for callers that want Node streams.
   * `command` is a bash script or an argv. Throws ERR_SAFESH_NOT_ENFORCED,
   * ERR_SAFESH_WORKSPACE, ERR_SAFESH_NATIVE, ERR_SAFESH_UNSUPPORTED_PLATFORM.
   */
  spawn(command: string | readonly string[], options: SpawnOptions = {}): ChildProcess {
    const { file, args, plan, cleanup } = this.launch(command, options);
    let child: ChildProcess;
    try {
      // Loaded here: start() and run() never need child_process.
      const { spawn: spawnProcess } = require("node:child_process") as typeof import("node:child_process");
      child = spawnProcess(file, args, { env: plan.env, cwd: plan.cwd, stdio: options.stdio ?? "pipe", detached: options.detached ?? true });
    } catch (error) {
      cleanup();
      throw error;
    }
    child.once("exit", cleanup);
    child.once("error", cleanup);
    return child;
  }

  /**
   * Starts a confined command through the addon's posix_spawn (no fork of
   * Node, no child_process: the fast path run() and the CLI take). Output of
   * piped stdout/stderr goes to `onData`. Throws as spawn() does.
   */
  start(command: string | readonly string[], options: StartOptions = {}): LaunchedRun {
    const { file, args, plan, cleanup } = this.launch(command, options);
    const stdio = options.stdio ?? ["pipe", "pipe", "pipe"];
    let exited = false;
    let resolveClosed!: (end: RunEnd) => void;
    const closed = new Promise<RunEnd>((resolve) => (resolveClosed = resolve));
    let pid: number;
    try {
      pid = spawnNative(
        {
          file,
          argv: [file, ...args],
          env: Object.entries(plan.env).map(([name, value]) => `${name}=${value}`),
          cwd: plan.cwd,
          stdio,
          newSession: options.detached ?? true,
          ...(stdio[0] === "pipe" ? { input: Buffer.from(options.input ?? "") } : {}),
        },
        {
          onData: (index, chunk) => options.onData?.(index === 1 ? "stdout" : "stderr", chunk),
          onClose: (exitCode, signal) => {
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
   * Runs a confined command to completion and collects its output. With
   * timeoutMs, the whole process group is killed when it elapses.
   */
  async run(command: string | readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const started = process.hrtime.bigint();
    await this.prepare(options);
    // Redacted as it streams, so a value split across chunks is still caught.
    const outRedactor = createRedactor(options.redact ?? {});
    const errRedactor = createRedactor(options.redact ?? {});
    let stdout = "";
    let stderr = "";
    const child = this.start(command, {
      ...options,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
      onData: (stream, chunk) => {
        if (stream === "stdout") stdout += outRedactor.push(chunk);
        else stderr += errRedactor.push(chunk);
      },
    });
    const timeout = killAfter(child, options.timeoutMs);
    const { exitCode, signal } = await child.closed;
    timeout.cancel();
    // Whatever the command left running in its group goes with it.
    killGroup(child, "SIGKILL");
    return {
      exitCode,
      signal,
      stdout: stdout + outRedactor.flush(),
      stderr: stderr + errRedactor.flush(),
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      timedOut: timeout.fired(),
    };
  }
}

/** SIGKILL for 9. */
function signalName(signal: number): NodeJS.Signals {
  const found = Object.entries(os.constants.signals).find(([, number]) => number === signal);
  return (found?.[0] ?? `SIG${signal}`) as NodeJS.Signals;
}

/**
 * Kills the launcher and its process group with SIGKILL once `ms` elapse
 * (the launcher's death takes the whole pid namespace with it; the group
 * covers degraded runs without one). No timer when `ms` is undefined.
 */
export function killAfter(child: Killable, ms: number | undefined, onFire?: () => void): { fired(): boolean; cancel(): void } {
  let fired = false;
  const timer =
    ms === undefined
      ? undefined
      : setTimeout(() => {
          fired = true;
          onFire?.();
          child.kill("SIGKILL");
          killGroup(child, "SIGKILL");
        }, ms);
  return { fired: () => fired, cancel: () => clearTimeout(timer) };
}
