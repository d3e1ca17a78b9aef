// The reviewer program approver: request JSON on stdin, verdict JSON on
// stdout (docs/reviewer-protocol.md). Fails closed on timeout, crash or bad output.
import { spawn } from "node:child_process";
import type { ReviewerConfig } from "../../policy/types";
import type { ApprovalRequest } from "../types";
import { jsonObject } from "../../json-object";
import { killGroup } from "../../process-group";
import { readReviewVerdict, type ReviewVerdict } from "../../verdict";

export const REVIEWER_PROTOCOL_VERSION = 1;
/** More output than any verdict needs: the reviewer is killed and the request denied. */
const MAX_OUTPUT_BYTES = 1024 * 1024;
/** Signals whose default action ends safe-sh while it waits for a verdict. */
const ENDING_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

export interface ReviewerReply {
  verdict: ReviewVerdict;
  reason: string;
}

/** The JSON document written to the reviewer's stdin (schema/reviewer-request.schema.json). */
export function reviewerRequest(request: ApprovalRequest): Record<string, unknown> {
  const { classification, decision } = request;
  return {
    version: REVIEWER_PROTOCOL_VERSION,
    command: request.command,
    commands: classification.commands.map((c) => ({ argv: c.argv, wrappers: c.wrappers, risk: c.risk, reasons: c.reasons })),
    cwd: request.cwd,
    risk: classification.risk,
    reasons: classification.reasons,
    decisionReasons: decision.reasons,
    mode: request.mode,
    grant: decision.grant,
    escalation: decision.escalation,
  };
}

/** Parses the reviewer's stdout ("approve", the earlier word, is read as "allow"); undefined when it is not a valid verdict. */
export function parseVerdict(stdout: string): ReviewerReply | undefined {
  const data = jsonObject(stdout);
  const verdict = readReviewVerdict(data?.verdict);
  if (data === undefined || verdict === undefined) return undefined;
  const { reason } = data;
  if (reason !== undefined && typeof reason !== "string") return undefined;
  return { verdict, reason: reason ?? "" };
}

/**
 * Runs the reviewer in its own process group and resolves with its verdict.
 * A SIGINT/SIGTERM/SIGHUP/SIGQUIT to safe-sh meanwhile kills that group first.
 * Never rejects: a reviewer that cannot start, times out (its whole group is
 * killed), exits non-zero, or prints anything but a verdict yields "deny".
 */
export function runReviewer(config: ReviewerConfig, request: ApprovalRequest): Promise<ReviewerReply> {
  const denied = (why: string): ReviewerReply => ({ verdict: "deny", reason: `reviewer ${config.command[0]}: ${why}` });
  return new Promise((resolve) => {
    const child = spawn(config.command[0]!, config.command.slice(1), { cwd: request.cwd, stdio: ["pipe", "pipe", "pipe"], detached: true });
    const killTree = () => killGroup(child, "SIGKILL");
    // Its own group outlives us: a signal that ends safe-sh ends the reviewer too, then takes effect.
    const onSignal = (signal: NodeJS.Signals) => {
      killTree();
      release();
      process.kill(process.pid, signal);
    };
    const release = () => {
      for (const signal of ENDING_SIGNALS) process.off(signal, onSignal);
    };
    for (const signal of ENDING_SIGNALS) process.once(signal, onSignal);
    let failure: string | undefined;
    const fail = (why: string) => {
      failure ??= why;
      killTree();
    };
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) fail(`printed more than ${MAX_OUTPUT_BYTES} bytes`);
      else chunks.push(chunk);
    });
    child.stderr.resume(); // diagnostics are the reviewer's own business; don't let the pipe fill
    child.stdin.on("error", () => undefined); // it may exit without reading
    child.stdin.end(`${JSON.stringify(reviewerRequest(request))}\n`);
    const timer = setTimeout(() => fail(`no verdict within ${config.timeoutMs} ms`), config.timeoutMs);

    child.once("error", (error) => {
      clearTimeout(timer);
      release();
      resolve(denied(`could not start: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      release();
      killTree(); // whatever it left running goes with it
      if (failure !== undefined) return resolve(denied(failure));
      if (signal !== null) return resolve(denied(`killed by ${signal}`));
      if (code !== 0) return resolve(denied(`exited with status ${code}`));
      const verdict = parseVerdict(Buffer.concat(chunks).toString("utf8"));
      resolve(verdict ?? denied("printed no valid verdict JSON"));
    });
  });
}
