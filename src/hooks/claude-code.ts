// Claude Code's PreToolUse hook: for the Bash tool, the command comes back
// rewritten to run through safe-sh (hookSpecificOutput.updatedInput), or
// denied with the reason. Other tools pass untouched (no output).
import { hookVerdict, shellInput, type HookPayload } from "./verdict";

/** The hook's stdout for one PreToolUse payload; "" lets the call through unchanged. */
export async function claudeCode(payload: HookPayload): Promise<string> {
  const input = shellInput(payload, "Bash");
  if (!input) return "";
  const verdict = await hookVerdict(input.command, payload.cwd ?? process.cwd());
  const output =
    verdict.kind === "deny"
      ? { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: verdict.reason }
      : // updatedInput replaces the whole input: keep description, timeout, run_in_background.
        { hookEventName: "PreToolUse", permissionDecision: "allow", permissionDecisionReason: verdict.reason, updatedInput: { ...input, command: verdict.command } };
  return `${JSON.stringify({ hookSpecificOutput: output })}\n`;
}
