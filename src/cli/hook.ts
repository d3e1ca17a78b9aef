// `safe-sh hook HARNESS`: an agent harness's pre-tool hook. Reads the hook
// payload (JSON) on stdin, writes the harness's answer on stdout.
import fs = require("node:fs");
import { SafeShError } from "../errors";

const HELP = `safe-sh hook — route an agent harness's shell tool through safe-sh

Usage:
  safe-sh hook claude-code    Claude Code PreToolUse hook (tool Bash)
  safe-sh hook gemini         Gemini CLI BeforeTool hook (tool run_shell_command)

Reads the hook's JSON payload on stdin. A command the policy lets run (or a
configured reviewer may approve) comes back rewritten as \`safe-sh -c '...'\`,
so it is gated, confined and recorded when it runs; one the policy refuses or
that needs an approver nobody can reach is denied with the reason and a hint.
Other tools pass unchanged. See docs/agents.md for the settings to add.

Exit status: 0 answered (the answer is on stdout); 2 blocked because safe-sh
could not decide (bad payload, invalid config: both harnesses block on 2 and
show stderr, so a broken setup fails closed); 125 usage error.
`;

const HARNESSES: Record<string, () => Promise<(payload: never) => Promise<string>>> = {
  "claude-code": async () => (await import("../hooks/claude-code")).claudeCode,
  gemini: async () => (await import("../hooks/gemini")).gemini,
};

export async function command(args: string[]): Promise<number> {
  if (args[0] === "--help" || args[0] === "-h") {
    process.stdout.write(HELP);
    return 0;
  }
  const harness = args.length === 1 ? HARNESSES[args[0]!] : undefined;
  if (!harness) throw new SafeShError("ERR_SAFESH_USAGE", `hook: expected one of ${Object.keys(HARNESSES).join(", ")}`, "see `safe-sh hook --help`");
  try {
    process.stdout.write(await (await harness())(readPayload() as never));
    return 0;
  } catch (error) {
    if (!(error instanceof SafeShError)) throw error;
    // Any other status lets the harness run the command as it was: block instead.
    process.stderr.write(`safe-sh: ${error.message} [${error.code}]\nhint: ${error.hint}\n`);
    return BLOCK;
  }
}

/** Exit status both harnesses read as "block this tool call, stderr says why". */
const BLOCK = 2;

function readPayload(): object {
  let payload: unknown;
  try {
    payload = JSON.parse(fs.readFileSync(0, "utf8"));
  } catch (cause) {
    throw new SafeShError("ERR_SAFESH_USAGE", "hook: stdin is not a JSON hook payload", "the harness passes its payload on stdin; see docs/agents.md", { cause });
  }
  if (payload === null || typeof payload !== "object") throw new SafeShError("ERR_SAFESH_USAGE", "hook: the payload is not a JSON object", "see docs/agents.md");
  return payload;
}
