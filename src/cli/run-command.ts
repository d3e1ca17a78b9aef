// `safe-sh -c` / `safe-sh -- argv`: load the policy, pass the gate (classify,
// decide, approve, audit), inject the secrets a rule names, run confined with
// the terminal attached, forward signals, record the exit, and exit with the
// command's status (128+N for a signal, 126 refused).
import os = require("node:os");
import path = require("node:path");
import { lockPath, openAudit, type AuditLog } from "../audit";
import { approve } from "../decide/approve";
import { ApprovalSession } from "../decide/session";
import { EXIT_REFUSED, SafeShError } from "../errors";
import { gate, warn, type GateOutcome } from "../gate";
import { loadPolicy } from "../policy/load";
import type { Policy } from "../policy/types";
import { SafeShell, killAfter } from "../run";
import { reachedGroupFromTerminal } from "../process-group";
import { applyEnvPolicy } from "../secrets/env-policy";
import { planSecrets, resolveSecrets, valuesByName } from "../secrets/inject";
import type { Grant } from "../decide/types";
import { isTerminal } from "../sandbox/native";
import { enforcement } from "../sandbox/plan";
import { DEFAULT_MASKED } from "../sandbox/protected";
import type { CliRunOptions } from "./args";
import { withArgvBytes } from "./raw-argv";
import { commandBytesOf } from "../audit/cap";

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"];

/** Text a sandbox denial leaves on stderr (EACCES, EPERM, EROFS). */
const DENIAL = /Permission denied|Operation not permitted|Read-only file system/;

interface Outcome {
  status: number;
  denialSuspected: boolean;
}

/** The script of `bash -c SCRIPT …`, or the argv itself. */
function commandOf(argv: string[]): { command: string | string[]; display: string } {
  if (argv[0] === "bash" && (argv[1] === "-c" || argv[1] === "-lc") && argv[2] !== undefined) return { command: argv[2], display: argv[2] };
  const quote = require("shell-quote").quote as (args: string[]) => string;
  return { command: argv, display: quote(argv) };
}

/** Flags are written by the agent: wider access than the policy gives is an escalation to approve, never an override. */
function requestFrom(options: CliRunOptions): Partial<Grant> {
  const request: Partial<Grant> = {};
  if (options.sandbox) request.sandbox = options.sandbox;
  if (options.network) request.network = options.network;
  return request;
}

function refuse(message: string, hint: string | undefined): number {
  process.stderr.write(`safe-sh: refused: ${message}\n${hint ? `hint: ${hint}\n` : ""}`);
  return EXIT_REFUSED;
}

async function secretsFor(outcome: GateOutcome, policy: Policy, audit: AuditLog): Promise<Record<string, string>> {
  const rules = Object.entries(policy.secrets).map(([name, secret]) => ({ name, env: secret.env, commands: secret.commands }));
  const plan = planSecrets(outcome.classification.commands.map((command) => command.argv), rules);
  // The keyring binding loads only when a secret is actually injected.
  const env = await resolveSecrets(plan, async () => (await import("../secrets/store")).openStore());
  audit.addSecrets(valuesByName(plan, env));
  return env;
}

function spawnConfined(shell: SafeShell, argv: string[], audit: AuditLog, display: string, cwd: string, outcome: GateOutcome, options: CliRunOptions): Promise<Outcome> {
  // Agents read stderr through a pipe: tee it to learn whether the sandbox
  // stopped something. A human's terminal stays a terminal.
  const teeStderr = !isTerminal(2);
  let denialSuspected = false;
  const child = shell.start(withArgvBytes(argv), {
    stdio: ["inherit", "inherit", teeStderr ? "pipe" : "inherit"],
    detached: false,
    onData: (_stream, chunk) => {
      if (!denialSuspected && DENIAL.test(chunk.toString("utf8"))) denialSuspected = true;
      if (process.stderr.write(chunk)) return true;
      // A slow reader: stop reading until it catches up (the command's writes block), never buffer.
      process.stderr.once("drain", () => child.resume("stderr"));
      return false;
    },
  });
  const started = process.hrtime.bigint();
  // Logged at exec, with what the launcher reports it enforced.
  const plan = shell.lastPlan;
  const execLogged = child.enforced.then((report) =>
    warn(audit.append({ event: "exec", command: display, cwd, runId: outcome.runId, grant: { ...outcome.decision.grant }, ...enforcement(plan, report), pid: child.pid })),
  );

  // The command shares our process group: what the terminal sent reached it already.
  const forward = (signal: NodeJS.Signals) => reachedGroupFromTerminal(signal) || child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  const timeout = killAfter(child, options.timeoutMs, () =>
    process.stderr.write(`safe-sh: timed out after ${options.timeoutMs! / 1000}s; killing the command\n`),
  );

  return Promise.all([child.closed, execLogged]).then(([{ exitCode: code, signal }]) => {
    timeout.cancel();
    for (const name of FORWARDED) process.removeListener(name, forward);
    const status = signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1);
    warn(audit.append({ event: "exit", command: display, cwd, runId: outcome.runId, exitCode: code, signal, durationMs: Number(process.hrtime.bigint() - started) / 1e6, timedOut: timeout.fired(), sandboxDenialSuspected: denialSuspected }));
    return { status, denialSuspected };
  });
}

/**
 * An unknown host under the allowlist goes to the approvers like a command
 * would (never mode refuses). An approval answers "once": a session approval
 * is remembered by the approvers' own session cache, keyed by host and port,
 * and answers the next ask at once.
 */
async function askAboutHost(host: string, port: number, context: { policy: Policy; session: ApprovalSession; audit: AuditLog; interactive: boolean; outcome: GateOutcome; cwd: string }): Promise<"once" | "deny"> {
  const { policy, outcome } = context;
  if (policy.approval === "never") return "deny";
  const display = `connect to ${host}:${port}`;
  const decision = { action: "ask" as const, reasons: [`${host}:${port} is not in [network] allow`], grant: outcome.decision.grant, escalation: true };
  const approval = await approve({ command: display, classification: outcome.classification, cwd: context.cwd, mode: policy.approval, decision }, policy, context.session, { ttyPath: context.interactive ? undefined : null });
  warn(context.audit.append({ event: "approval", command: display, cwd: context.cwd, runId: outcome.runId, approver: approval.approver, verdict: approval.verdict === "approve" ? "allow" : "deny", reason: approval.reason, durationMs: approval.durationMs }));
  return approval.verdict === "approve" ? "once" : "deny";
}

/** The working directory; one that was deleted under us is a usage error, not an internal one. */
function workingDirectory(): string {
  try {
    return process.cwd();
  } catch (cause) {
    throw new SafeShError("ERR_SAFESH_WORKSPACE", "the working directory no longer exists", "cd to an existing directory and run the command again", { cause });
  }
}

export async function runCommand(argv: string[], options: CliRunOptions): Promise<number> {
  const workspace = options.workspace ?? workingDirectory();
  const { policy } = loadPolicy({ cwd: workspace });
  const audit = openAudit({ ...(policy.audit.path ? { path: policy.audit.path } : {}), bestEffort: policy.audit.bestEffort });
  try {
    return await gatedRun(argv, options, workspace, policy, audit);
  } finally {
    await audit.close();
  }
}

async function gatedRun(argv: string[], options: CliRunOptions, workspace: string, policy: Policy, audit: AuditLog): Promise<number> {
  const session = new ApprovalSession();
  // The terminal approver opens /dev/tty itself and steps aside when there is none.
  const interactive = true;
  const { command, display } = commandOf(argv);
  const cwd = workingDirectory();
  const bytes = withArgvBytes(argv);
  const commandBytes = commandBytesOf(typeof command === "string" ? bytes[2]! : bytes);

  let outcome = await gate({ command, display, ...(commandBytes ? { commandBytes } : {}), cwd, workspace, request: requestFrom(options) }, { policy, session, audit, interactive });
  if (!outcome.allowed) return refuse(outcome.approval.reason, outcome.approval.hint);

  for (let attempt = 0; ; attempt++) {
    let injected: Record<string, string>;
    try {
      injected = await secretsFor(outcome, policy, audit);
    } catch (error) {
      if (error instanceof SafeShError) return refuse(`${error.message} [${error.code}]`, error.hint);
      throw error;
    }
    const grant = outcome.decision.grant;
    const envPolicy = applyEnvPolicy(process.env, policy.env, options.keepEnv);
    const shell = new SafeShell({
      workspace,
      sandbox: grant.sandbox,
      network: grant.network,
      writableRoots: grant.writableRoots,
      keepEnv: [...options.keepEnv, ...policy.env.keep, ...Object.keys(policy.env.set), ...Object.keys(injected)],
      env: { ...envPolicy.env, ...injected },
      allowDegraded: options.allowDegraded,
      limits: policy.limits,
      // The trail is unreadable inside, wherever it lives: its directory, or
      // (when that holds the workspace) the log and its lock file themselves.
      maskedPaths: [...DEFAULT_MASKED, path.dirname(audit.path), audit.path, lockPath(audit.path)],
      denyRead: policy.filesystem.denyRead,
      ...(policy.filesystem.read === "allowlist" ? { readAllowlist: policy.filesystem.allowRead } : {}),
      // Hosts come from the policy only: a flag would let the agent widen its own allowlist.
      networkRules: { allow: policy.network.allow, deny: policy.network.deny, allowPrivate: policy.network.allowPrivate, hosts: policy.network.hosts },
      onUnknownHost: (host, port) => askAboutHost(host, port, { policy, session, audit, interactive, outcome, cwd }),
      onNetworkEvent: (event) =>
        warn(audit.append({ event: "network", command: display, cwd, runId: outcome.runId, host: event.host, port: event.port, decision: event.decision, rule: event.rule, bytesOut: event.bytesUp, bytesIn: event.bytesDown, durationMs: event.durationMs })),
    });
    try {
      await shell.prepare();
      const result = await spawnConfined(shell, argv, audit, display, cwd, outcome, options);
      // on-failure: a run the sandbox stopped may be re-run with more access, once, if approved.
      if (policy.approval !== "on-failure" || attempt > 0 || result.status === 0 || !result.denialSuspected) return result.status;
    } finally {
      await shell.close();
    }
    process.stderr.write("safe-sh: the sandbox seems to have stopped this command; asking to re-run it with more access\n");
    outcome = await gate({ command, display, cwd, workspace, retryAfterDenial: true }, { policy, session, audit, interactive, classification: outcome.classification });
    if (!outcome.allowed) return refuse(outcome.approval.reason, outcome.approval.hint);
  }
}
