// Session: the gated pipeline every front end uses (CLI, MCP server, hooks,
// embedders). One policy, audit trail, approval cache, proxy and SafeShell;
// run() goes classify → decide → approve → confine → record.
import os = require("node:os");
import path = require("node:path");
import { lockPath, openAudit, type AuditEvent, type AuditLog } from "./audit";
import { commandBytesOf } from "./audit/cap";
import { hostDecision } from "./decide/host";
import { ApprovalSession } from "./decide/session";
import type { Decision } from "./decide/types";
import { EXIT_REFUSED, SafeShError } from "./errors";
import { decide } from "./decide/decide";
import { approvalEvent, classify, gate, type GateContext, type GateOutcome } from "./gate";
import type { ConnectionEvent } from "./net";
import { loadPolicy } from "./policy/load";
import { resolveLocations } from "./policy/locations";
import type { Policy } from "./policy/types";
import { killGroup } from "./process-group";
import { randomId } from "./random-id";
import { SafeShell, killAfter } from "./run";
import { hostPlatform, type Platform } from "./sandbox/platform";
import { limitMessage } from "./sandbox/limits";
import { DEFAULT_MASKED, DEFAULT_PROTECTED } from "./sandbox/protected";
import { applyEnvPolicy } from "./secrets/env-policy";
import { planSecrets, resolveSecrets, valuesByName } from "./secrets/inject";
import { createCapture, withTruncationNote } from "./capture";
import { DenialWatch, markedScript, protectedHints } from "./session/denial";
import { beforeRun, refusedHost, usableRoots } from "./session/notices";
import { tagged } from "./session/client-tag";
import { deniedNotice, runEnforcement, startWatched, violationRecords, watchDenials } from "./session/seatbelt";
import type { SessionOptions, SessionResult, SessionRunOptions } from "./session/types";
import type { Classification, LimitName } from "./types";

export type { SessionOptions, SessionResult, SessionRunOptions };

const DEFAULT_MAX_OUTPUT = 1024 * 1024;

/** The script of `bash -c SCRIPT …` (what is analysed), and the command as shown. */
function analysed(command: string | readonly string[]): { script?: string; display: string } {
  if (typeof command === "string") return { script: command, display: command };
  if (command[0] === "bash" && (command[1] === "-c" || command[1] === "-lc") && command[2] !== undefined) return { script: command[2], display: command[2] };
  const quote = require("shell-quote").quote as (args: readonly string[]) => string;
  return { display: quote(command) };
}

/** The gated pipeline. Throws from the constructor as loadPolicy does (ERR_SAFESH_POLICY_INVALID). */
export class Session {
  readonly workspace: string;
  readonly policy: Policy;
  readonly audit: AuditLog;
  /** The config file a notice tells the user to edit about the network. */
  private readonly networkConfigFile: string;
  /** Where each limit is set (or would be): named when a run reaches it. */
  private readonly limitsConfigFile: Record<LimitName, string>;
  private readonly approvals = new ApprovalSession();
  private readonly shell: SafeShell;
  private readonly platform: Platform;
  private readonly notify: (line: string) => void;
  private readonly context: GateContext;
  /** Runs in flight, for tying proxied connections to a command. */
  private readonly active = new Map<string, { display: string; outcome: GateOutcome; cwd: string; notify: (line: string) => void }>();

  constructor(private readonly options: SessionOptions = {}) {
    this.workspace = path.resolve(options.workspace ?? process.cwd());
    let sources = options.sources;
    if (options.policy) {
      this.policy = options.policy;
    } else {
      const loaded = loadPolicy({ cwd: this.workspace });
      this.policy = loaded.policy;
      sources = loaded.sources;
    }
    const configFile = (key: string) => sources?.values[key]?.filter((file) => path.isAbsolute(file)).at(-1) ?? this.policy.userConfigFile;
    this.networkConfigFile = configFile("network.allow");
    this.limitsConfigFile = { pids: configFile("limits.pids"), memory: configFile("limits.memory") };
    this.notify = options.notify ?? ((line) => process.stderr.write(`${line}\n`));
    const audit = openAudit({ ...(this.policy.audit.path ? { path: this.policy.audit.path } : {}), bestEffort: this.policy.audit.bestEffort, ...options.audit });
    this.audit = options.client ? tagged(audit, options.client) : audit;
    this.context = {
      policy: this.policy,
      session: this.approvals,
      audit: this.audit,
      approvers: { ttyPath: options.terminal ? undefined : null, ...(options.ask ? { ask: options.ask } : {}) },
    };
    this.platform = options.platform ?? hostPlatform();
    const { stateDir } = resolveLocations({ cwd: this.workspace, ...(options.env ? { env: options.env } : {}) });
    this.shell = new SafeShell({
      workspace: this.workspace,
      allowDegraded: options.allowDegraded ?? false,
      // What the session writes is unreadable inside, wherever it lives: the
      // audit directory (or, when that holds the workspace, the log and its
      // lock themselves) and the state directory.
      maskedPaths: [...DEFAULT_MASKED, path.dirname(this.audit.path), this.audit.path, lockPath(this.audit.path), stateDir],
      denyRead: this.policy.filesystem.denyRead,
      ...(this.policy.filesystem.read === "allowlist" ? { readAllowlist: this.policy.filesystem.allowRead } : {}),
      // Hosts come from the policy only: a request would let the agent widen its own allowlist.
      networkRules: { ...this.policy.network, configFile: this.networkConfigFile },
      onUnknownHost: (host, port) => this.askAboutHost(host, port),
      onNetworkEvent: (event) => this.recordConnection(event),
    }, this.platform);
  }

  /** Records an event (a best-effort trail's warning becomes a notice). */
  private record(...events: AuditEvent[]): void {
    const warning = this.audit.append(...events);
    if (warning) this.notify(warning);
  }

  /** The run a proxied connection belongs to: the only one in flight, else none. */
  private current(): { display: string; outcome: GateOutcome; cwd: string; notify: (line: string) => void } | undefined {
    return this.active.size === 1 ? [...this.active.values()][0] : undefined;
  }

  /** An unknown host goes to the approvers like a command would; `never` refuses. */
  private async askAboutHost(host: string, port: number): Promise<"once" | "deny"> {
    const run = this.current();
    if (this.policy.approval === "never" || !run) return "deny";
    const display = `connect to ${host}:${port}`;
    const decision = hostDecision(host, port, run.outcome.decision.grant);
    const { approve } = await import("./decide/approve");
    const approval = await approve({ command: display, classification: run.outcome.classification, cwd: run.cwd, mode: this.policy.approval, decision }, this.policy, this.approvals, this.context.approvers);
    this.record(approvalEvent(approval, { command: display, cwd: run.cwd, runId: run.outcome.runId }));
    return approval.verdict === "allow" ? "once" : "deny";
  }

  private recordConnection(event: ConnectionEvent): void {
    const run = this.current();
    const line = refusedHost(event, this.networkConfigFile);
    if (line) (run?.notify ?? this.notify)(line);
    this.record({
      event: "network",
      // Concurrent runs share the proxy: a connection is then not tied to one of them.
      command: run?.display ?? (this.active.size > 1 ? `(one of ${this.active.size} concurrent runs)` : "(a run that has ended)"),
      ...(run ? { cwd: run.cwd, runId: run.outcome.runId } : {}),
      host: event.host,
      port: event.port,
      decision: event.decision,
      rule: event.rule,
      bytesOut: event.bytesUp,
      bytesIn: event.bytesDown,
      durationMs: event.durationMs,
    });
  }

  /** The secrets a rule names for these commands, from the keyring (loaded only then). */
  private async secretsFor(outcome: GateOutcome): Promise<Record<string, string>> {
    const rules = Object.entries(this.policy.secrets).map(([name, secret]) => ({ name, env: secret.env, commands: secret.commands }));
    const plan = planSecrets(outcome.classification.commands.map((command) => command.argv), rules);
    const env = await resolveSecrets(plan, async () => (await import("./secrets/store")).openStore());
    this.audit.addSecrets(valuesByName(plan, env));
    return env;
  }

  /**
   * Runs a bash script (or an argv, without a shell) through the whole
   * pipeline. A refusal is a result (status 126, `hint`), not an error.
   * Throws ERR_SAFESH_NOT_ENFORCED, ERR_SAFESH_WORKSPACE, ERR_SAFESH_NATIVE,
   * ERR_SAFESH_AUDIT_UNAVAILABLE.
   */
  async run(command: string | readonly string[], options: SessionRunOptions = {}): Promise<SessionResult> {
    const started = process.hrtime.bigint();
    const cwd = path.resolve(this.workspace, options.cwd ?? ".");
    const { script, display } = analysed(command);
    const notify = options.notify ?? this.notify;
    const exact = options.exactArgv;
    const commandBytes = exact ? commandBytesOf(script !== undefined && typeof command !== "string" ? exact[2]! : exact) : undefined;
    let outcome = await gate({ command: script ?? command, display, ...(commandBytes ? { commandBytes } : {}), cwd, workspace: this.workspace, ...(options.request ? { request: options.request } : {}) }, this.context);
    const finish = (fields: Partial<SessionResult> & { status: number }): SessionResult => ({
      ran: false, exitCode: null, signal: null, stdout: "", stderr: "", truncated: { stdout: false, stderr: false }, timedOut: false, cancelled: false,
      risk: outcome.classification.risk,
      decision: outcome.decision.verdict,
      reasons: [...outcome.classification.reasons, ...outcome.decision.reasons],
      approval: outcome.approval,
      ...(outcome.approval.hint ? { hint: outcome.approval.hint } : {}),
      enforced: [], degraded: [], rerun: false,
      runId: outcome.runId,
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      ...fields,
    });
    if (!outcome.allowed) return finish({ status: EXIT_REFUSED });
    // Cancelled while the approver was asked: nothing starts.
    if (options.signal?.aborted) return finish({ status: EXIT_REFUSED, cancelled: true });
    for (const line of beforeRun(outcome.classification, outcome.decision.grant, this.workspace, this.networkConfigFile)) notify(line);

    for (let attempt = 0; ; attempt++) {
      let injected: Record<string, string>;
      try {
        injected = await this.secretsFor(outcome);
      } catch (error) {
        if (!(error instanceof SafeShError)) throw error;
        return finish({ status: EXIT_REFUSED, hint: error.hint, approval: { ...outcome.approval, verdict: "deny", reason: `${error.message} [${error.code}]` } });
      }
      const ran = await this.confined(command, script, display, cwd, outcome, injected, { ...options, notify });
      const result = finish({ ...ran.fields, ran: true, rerun: attempt > 0 });
      for (const line of protectedHints(ran.watch.protectedHits)) notify(line);
      const denied = deniedNotice(ran.violations);
      if (denied) notify(denied);
      // on-failure: a run the sandbox stopped may be re-run with more access, once, if approved.
      const stopped = ran.watch.suspected || ran.violations.length > 0 || (ran.stderrUnseen && result.status !== 0);
      if (this.policy.approval !== "on-failure" || attempt > 0 || result.status === 0 || !stopped || result.cancelled) return result;
      notify("safe-sh: the sandbox seems to have stopped this command; asking to re-run it with more access");
      const retry = await gate({ command: script ?? command, display, cwd, workspace: this.workspace, retryAfterDenial: true }, { ...this.context, classification: outcome.classification });
      // Refused: the command's own failure stands, with its own status.
      if (!retry.allowed) {
        notify(`safe-sh: re-run refused: ${retry.approval.reason}${retry.approval.hint ? `\nhint: ${retry.approval.hint}` : ""}`);
        return { ...result, ...(retry.approval.hint ? { hint: retry.approval.hint } : {}) };
      }
      outcome = retry;
    }
  }

  /** One confined run with the outcome's grant: exec and exit recorded. */
  private async confined(command: string | readonly string[], script: string | undefined, display: string, cwd: string, outcome: GateOutcome, injected: Record<string, string>, options: SessionRunOptions & { notify: (line: string) => void }) {
    const { notify } = options;
    const grant = outcome.decision.grant;
    const captured = (options.stdio ?? "pipe") === "pipe";
    // Agents read stderr through a pipe: read it to learn whether the sandbox
    // stopped something. A human's terminal stays a terminal (stderrUnseen).
    const { isTerminal } = await import("./sandbox/native");
    const readStderr = captured || !isTerminal(2);
    const login = typeof command === "string" ? options.login === true : command[1] === "-lc";
    // A login shell's start-up files print before the command: their
    // "Permission denied" is not the command's. A marker says where they end.
    // (Not for a script given as exact bytes: marking it would re-encode them.)
    const exact = options.exactArgv;
    const exactBytes = exact?.some((word) => Buffer.isBuffer(word)) === true;
    const marker = readStderr && login && script !== undefined && !exactBytes ? `\u001esafe-sh:${randomId()}\u001e` : undefined;
    const argv = typeof command === "string" ? ["bash", login ? "-lc" : "-c", marker ? markedScript(script!, marker) : script!] : marker ? ["bash", "-lc", markedScript(script!, marker), ...command.slice(3)] : [...(exact ?? command)];
    const watch = new DenialWatch(DEFAULT_PROTECTED, marker);
    const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    // Injected values are redacted from what is returned (keyed by variable name).
    const out = createCapture(injected, max);
    const err = createCapture(injected, max);
    const envPolicy = applyEnvPolicy(this.options.env ?? process.env, this.policy.env, this.options.keepEnv ?? []);
    await this.shell.prepare({ network: grant.network });
    // macOS: the log is read from before the start, so the run's first denials are not missed.
    const denials = watchDenials(this.platform, outcome.runId);
    const launched = startWatched(denials, () => this.shell.start(argv, {
      runId: outcome.runId,
      sandbox: grant.sandbox,
      network: grant.network,
      writableRoots: usableRoots(grant.writableRoots, notify),
      limits: this.policy.limits,
      keepEnv: [...(this.options.keepEnv ?? []), ...this.policy.env.keep, ...Object.keys(this.policy.env.set), ...Object.keys(injected)],
      env: { ...envPolicy.env, ...injected },
      cwd,
      stdio: captured ? ["pipe", "pipe", "pipe"] : ["inherit", "inherit", readStderr ? "pipe" : "inherit"],
      detached: captured,
      ...(options.input !== undefined ? { input: options.input } : {}),
      onData: (stream, chunk) => {
        if (stream === "stderr") {
          const bytes = watch.push(chunk);
          if (!captured) {
            if (process.stderr.write(bytes)) return true;
            // A slow reader: stop reading until it catches up (the command's writes block), never buffer.
            process.stderr.once("drain", () => launched.resume("stderr"));
            return false;
          }
          err.push(bytes);
        } else {
          out.push(chunk);
        }
        options.onData?.(stream, chunk);
        return true;
      },
    }));
    this.active.set(outcome.runId, { display, outcome, cwd, notify });
    const began = process.hrtime.bigint();
    options.onStart?.(launched);
    const timeout = killAfter(launched, options.timeoutMs, () => notify(`safe-sh: timed out after ${options.timeoutMs! / 1000}s; killing the command`));
    let cancelled = false;
    const cancel = () => {
      cancelled = true;
      launched.kill("SIGKILL");
      killGroup(launched, "SIGKILL");
    };
    options.signal?.addEventListener("abort", cancel, { once: true });
    if (options.signal?.aborted) cancel();
    // Recorded at exec, with what the launcher reports it enforced (not a prediction).
    const facts = runEnforcement(launched.plan, await launched.enforced);
    this.record({ event: "exec", command: display, cwd, runId: outcome.runId, grant: { ...grant }, ...facts, pid: launched.pid });
    const { exitCode, signal } = await launched.closed;
    timeout.cancel();
    const limitsReached = await launched.limitsReached;
    for (const limit of limitsReached) notify(limitMessage(limit, launched.plan.limits, this.limitsConfigFile[limit]));
    options.signal?.removeEventListener("abort", cancel);
    this.active.delete(outcome.runId);
    // Whatever the command left running in its group goes with it.
    if (captured) killGroup(launched, "SIGKILL");
    const violations = await denials.stop();
    if (violations.length > 0) this.record(...violationRecords(violations, display, cwd));
    const rest = watch.flush();
    if (rest.length > 0) (captured ? err.push(rest) : process.stderr.write(rest));
    this.record({ event: "exit", command: display, cwd, runId: outcome.runId, exitCode, signal, durationMs: Number(process.hrtime.bigint() - began) / 1e6, timedOut: timeout.fired(), sandboxDenialSuspected: watch.suspected || violations.length > 0, ...(limitsReached.length > 0 ? { limitsReached } : {}) });
    const stdout = out.finish();
    const stderr = err.finish();
    return {
      watch,
      violations,
      stderrUnseen: !readStderr,
      fields: {
        status: signal ? 128 + (os.constants.signals[signal] ?? 0) : (exitCode ?? 1),
        exitCode, signal,
        stdout: withTruncationNote(stdout), stderr: withTruncationNote(stderr),
        truncated: { stdout: stdout.truncated, stderr: stderr.truncated },
        timedOut: timeout.fired(), cancelled,
        ...(limitsReached.length > 0 ? { limitsReached } : {}),
        ...facts,
      },
    };
  }

  /** What run() would decide for a command, without asking anyone, running or recording it. */
  async explain(command: string | readonly string[], options: Pick<SessionRunOptions, "cwd" | "request"> = {}): Promise<{ classification: Classification; decision: Decision }> {
    const cwd = path.resolve(this.workspace, options.cwd ?? ".");
    const { script } = analysed(command);
    const classification = await classify(script ?? command, cwd);
    return { classification, decision: decide(classification, this.policy, { cwd, ...(options.request ? { request: options.request } : {}) }) };
  }

  /** Stops the proxy and waits for the audit export. */
  async close(): Promise<void> {
    await this.shell.close();
    await this.audit.close();
  }
}
