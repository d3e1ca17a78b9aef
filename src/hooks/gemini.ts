// Gemini CLI's BeforeTool hook: for run_shell_command, the command comes back
// rewritten to run through safe-sh (hookSpecificOutput.tool_input, which
// Gemini merges over the model's arguments), or denied with the reason.
import path = require("node:path");
import { hookVerdict, shellInput, type HookPayload } from "./verdict";

/** The hook's stdout for one BeforeTool payload: always one JSON object, as Gemini CLI expects. */
export async function gemini(payload: HookPayload): Promise<string> {
  const input = shellInput(payload, "run_shell_command");
  if (!input) return "{}\n";
  // The tool runs in dir_path (relative to the project) when the model gives one.
  const base = payload.cwd ?? process.cwd();
  const cwd = typeof input.dir_path === "string" ? path.resolve(base, input.dir_path) : base;
  const verdict = await hookVerdict(input.command, cwd);
  const output = verdict.kind === "deny" ? { decision: "deny", reason: verdict.reason } : { decision: "allow", reason: verdict.reason, hookSpecificOutput: { tool_input: { command: verdict.command } } };
  return `${JSON.stringify(output)}\n`;
}
