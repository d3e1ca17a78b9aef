// SafeShell: plan → spawn the launcher → stream → clean up. One instance can
// serve many runs; each run gets its own private TMPDIR, removed afterwards.
import { spawn as spawnProcess, type ChildProcess, type StdioOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AskAnswer, ConnectionEvent, ProxyHandle } from "./net";
import type { lazyProxy } from "./net/proxy";
import { buildPlan, type SandboxPlan } from "./sandbox/plan";
import { launcherArgs } from "./sandbox/linux";
import { launcherPath, probe } from "./sandbox/native";
import { createRedactor } from "./secrets/redact";
import { killGroup } from "./process-group";
import type { RunOptions, RunResult, SandboxOptions } from "./types";

export interface SpawnOptions extends RunOptions {
  /** stdio of the launcher; default "pipe". */
  stdio?: StdioOptions;
  /** Own process group (so a timeout or kill reaches the whole tree). Default true. */
  detached?: boolean;
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

export class SafeShell {
  private readonly defaults: SafeShellOptions;
  private proxy: ReturnType<typeof lazyProxy> | undefined;
  private proxyHandle: ProxyHandle | undefined;
  /** The plan of the latest spawn(), for reporting what was enforced. */
  lastPlan: SandboxPlan | undefined;

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
   * Starts a confined command and returns a real ChildProcess (the launcher,
   * which becomes the command). `command` is a bash script or an argv.
   * Throws ERR_SAFESH_NOT_ENFORCED, ERR_SAFESH_WORKSPACE, ERR_SAFESH_NATIVE,
   * ERR_SAFESH_UNSUPPORTED_PLATFORM.
   */
  spawn(command: string | readonly string[], options: SpawnOptions = {}): ChildProcess {
    let tmpdir: string | undefined;
    const makeTmpdir = () => (tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-")));
    const cleanup = () => {
      if (tmpdir) fs.rmSync(tmpdir, { recursive: true, force: true });
    };
    let child: ChildProcess;
    try {
      const plan = this.plan(options, makeTmpdir);
      this.lastPlan = plan;
      child = spawnProcess(launcherPath(), launcherArgs(plan, shellArgv(command, options.login)), {
        env: plan.env,
        cwd: plan.cwd,
        stdio: options.stdio ?? "pipe",
        detached: options.detached ?? true,
      });
    } catch (error) {
      cleanup();
      throw error;
    }
    child.once("exit", cleanup);
    child.once("error", cleanup);
    return child;
  }

  /**
   * Runs a confined command to completion and collects its output. With
   * timeoutMs, the whole process group is killed when it elapses.
   */
  async run(command: string | readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const started = process.hrtime.bigint();
    await this.prepare(options);
    const child = this.spawn(command, { ...options, stdio: ["pipe", "pipe", "pipe"], detached: true });
    // Redacted as it streams, so a value split across chunks is still caught.
    const outRedactor = createRedactor(options.redact ?? {});
    const errRedactor = createRedactor(options.redact ?? {});
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += outRedactor.push(chunk)));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += errRedactor.push(chunk)));
    child.stdin?.on("error", () => undefined); // the command may exit without reading
    child.stdin?.end(options.input ?? "");

    const timeout = killAfter(child, options.timeoutMs);

    return new Promise((resolve, reject) => {
      child.once("error", (error) => {
        timeout.cancel();
        reject(error);
      });
      child.once("close", (exitCode, signal) => {
        timeout.cancel();
        // Whatever the command left running in its group goes with it.
        killGroup(child, "SIGKILL");
        resolve({
          exitCode,
          signal,
          stdout: stdout + outRedactor.flush(),
          stderr: stderr + errRedactor.flush(),
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          timedOut: timeout.fired(),
        });
      });
    });
  }
}

/**
 * Kills the launcher and its process group with SIGKILL once `ms` elapse
 * (the launcher's death takes the whole pid namespace with it; the group
 * covers degraded runs without one). No timer when `ms` is undefined.
 */
export function killAfter(child: ChildProcess, ms: number | undefined, onFire?: () => void): { fired(): boolean; cancel(): void } {
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
