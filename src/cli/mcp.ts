// `safe-sh mcp`: serve the MCP protocol on stdin/stdout (one Session per server).
import { SafeShError } from "../errors";

const HELP = `safe-sh mcp — an MCP server (stdio) whose tools run commands through safe-sh

Usage:
  safe-sh mcp [--workspace DIR]

Tools:
  shell     run a script (command) or an argv: parsed, classified, decided by the
            policy, approved (MCP elicitation if the client supports it, else the
            reviewer program, else refused with a hint), confined and audited.
            Arguments: command | argv, workdir (inside the workspace),
            timeout_seconds, login, sandbox and network (requests for more access
            than the policy gives: escalations that need approval).
            Returns the exit status, stdout/stderr (64 KiB each, truncation said),
            risk, decision and reasons. Cancelling the call kills the command's
            whole process tree; long commands send progress notifications.
  explain   what safe-sh would decide for a command, without running it.

The workspace is DIR, or the directory the client starts the server in. Every
audit record carries the client's name and the server's session id.
See docs/agents.md for client configuration.
`;

export async function command(args: string[]): Promise<number> {
  let workspace: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") {
      process.stdout.write(HELP);
      return 0;
    }
    if (arg === "--workspace" && args[i + 1] !== undefined) workspace = args[++i];
    else if (arg.startsWith("--workspace=")) workspace = arg.slice("--workspace=".length);
    else throw new SafeShError("ERR_SAFESH_USAGE", `mcp: unexpected argument ${arg}`, "see `safe-sh mcp --help`");
  }
  const { serveMcp } = await import("../mcp/server");
  await serveMcp(workspace ? { workspace } : {});
  return 0;
}
