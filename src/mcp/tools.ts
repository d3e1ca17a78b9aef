// The MCP tools' answers: a Session result or a classification as the text an
// agent reads and the structured content a program reads.
import type { SessionResult } from "../session";
import type { Classification } from "../types";
import type { Verdict } from "../verdict";

export interface ToolAnswer {
  [key: string]: unknown;
  content: { type: "text"; text: string }[];
  structuredContent: Record<string, unknown>;
  isError?: boolean;
}

/** The shell tool's answer for one run (or refusal), with safe-sh's own notices for it. */
export function shellAnswer(result: SessionResult, notices: readonly string[] = []): ToolAnswer {
  const head = result.ran
    ? `exit status ${result.status}${result.signal ? ` (signal ${result.signal})` : ""}${result.timedOut ? " (timed out)" : ""}${result.cancelled ? " (cancelled)" : ""}`
    : `refused (exit status ${result.status}): ${result.approval.reason}${result.hint ? `\nhint: ${result.hint}` : ""}`;
  const text = [
    head,
    `risk: ${result.risk}; decision: ${result.decision}; approved by: ${result.approval.approver}`,
    ...notices,
    ...(result.stdout ? [`--- stdout ---\n${result.stdout}`] : []),
    ...(result.stderr ? [`--- stderr ---\n${result.stderr}`] : []),
  ].join("\n");
  return {
    content: [{ type: "text", text }],
    structuredContent: {
      ran: result.ran,
      exitStatus: result.status,
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: result.stdout,
      stderr: result.stderr,
      truncated: result.truncated,
      timedOut: result.timedOut,
      cancelled: result.cancelled,
      risk: result.risk,
      decision: result.decision,
      reasons: result.reasons,
      approver: result.approval.approver,
      ...(result.hint ? { hint: result.hint } : {}),
      enforced: result.enforced,
      degraded: result.degraded,
      runId: result.runId,
      notices: [...notices],
    },
    // A refusal is an error the agent must see; a failing command is a normal answer.
    ...(result.ran ? {} : { isError: true }),
  };
}

/** The explain tool's answer: risk, reasons, commands, and what the policy would do. */
export function explainAnswer(classification: Classification, decision: Verdict, reasons: string[]): ToolAnswer {
  const lines = [
    `risk: ${classification.risk}`,
    ...classification.reasons.map((reason) => `  ${reason}`),
    `policy: ${decision}${reasons.length > 0 ? ` (${reasons.join("; ")})` : ""}`,
    ...classification.commands.map((command) => `command: ${command.argv.join(" ")} [${command.risk}]${command.wrappers.length > 0 ? ` wrappers: ${command.wrappers.join(", ")}` : ""}`),
  ];
  return { content: [{ type: "text", text: lines.join("\n") }], structuredContent: { ...classification, decision, decisionReasons: reasons } };
}

/** An error the tool reports instead of throwing (safe-sh failed, or a bad request). */
export function errorAnswer(message: string, hint?: string): ToolAnswer {
  return { content: [{ type: "text", text: hint ? `${message}\nhint: ${hint}` : message }], structuredContent: { error: message, ...(hint ? { hint } : {}) }, isError: true };
}
