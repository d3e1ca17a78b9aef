// What an agent harness's pre-tool hook does with a shell command: rewrite it
// to run through safe-sh (which gates, confines and records it when it runs),
// or deny it up front with the reason and the way to get it through.
import fs = require("node:fs");
import { quote } from "shell-quote";
import { classifyScript } from "../classify";
import { onDisk } from "../classify/disk";
import { approvalHint, refusalHint } from "../decide/approvers/none";
import { decide } from "../decide/decide";
import { loadPolicy } from "../policy/load";

/** The fields both harnesses' pre-tool payloads share. */
export interface HookPayload {
  hook_event_name?: string;
  tool_name?: string;
  tool_input?: Record<string, unknown>;
  cwd?: string;
}

/** The tool input when the payload is a call of `tool` with a string command; undefined otherwise. */
export function shellInput(payload: HookPayload, tool: string): (Record<string, unknown> & { command: string }) | undefined {
  const input = payload.tool_input;
  if (payload.tool_name !== tool || !input || typeof input.command !== "string") return undefined;
  return input as Record<string, unknown> & { command: string };
}

export type HookVerdict = { kind: "rewrite"; command: string; reason: string } | { kind: "deny"; reason: string };

/** The safe-sh the harness should call: this very program when run as bin/safe-sh, else `safe-sh` on PATH. */
export function safeShCommand(): string {
  const script = process.env.SAFE_SH_BIN ?? process.argv[1];
  if (script && /(^|\/)safe-sh$/.test(script)) {
    try {
      return fs.realpathSync(script);
    } catch {
      // fall through: a bin that vanished is no better than PATH
    }
  }
  return "safe-sh";
}

/**
 * The verdict for one command about to run in `cwd`. What runs without
 * asking, or asks a configured reviewer, is rewritten (safe-sh decides again,
 * records and confines at run time); what the policy refuses, or what would
 * need an approver nobody can reach from a harness, is denied here.
 * Throws ERR_SAFESH_POLICY_INVALID.
 */
export async function hookVerdict(command: string, cwd: string): Promise<HookVerdict> {
  const bin = safeShCommand();
  const prefix = `${quote([bin])} `;
  // Already going through safe-sh: wrapping again would nest sandboxes.
  if (command.startsWith(prefix)) return { kind: "rewrite", command, reason: "already runs through safe-sh" };
  const { policy } = loadPolicy({ cwd });
  const classification = await classifyScript(command, onDisk(cwd));
  const decision = decide(classification, policy, { cwd });
  const why = [...classification.reasons, ...decision.reasons].join("; ");
  if (decision.verdict === "deny") return { kind: "deny", reason: `safe-sh refuses this command: ${why}. hint: ${refusalHint(decision, policy)}` };
  if (decision.verdict === "ask" && !policy.reviewer) {
    const hint = approvalHint({ command, classification, cwd, mode: policy.approval, decision }, policy);
    return { kind: "deny", reason: `safe-sh needs an approval for this command and no reviewer is configured: ${why}. hint: ${hint}` };
  }
  return { kind: "rewrite", command: `${prefix}-c ${quote([command])}`, reason: `runs confined by safe-sh (risk ${classification.risk})` };
}
