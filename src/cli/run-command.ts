// `safe-sh -c` / `safe-sh -- argv`: flags → a Session run with the terminal
// attached (stdin, stdout, stderr inherited; signals forwarded) → the exit
// status (the command's own, 128+N for a signal, 126 refused).
import { SafeShError } from "../errors";
import type { Grant } from "../decide/types";
import type { LaunchedRun } from "../run";
import { reachedGroupFromTerminal } from "../process-group";
import { Session } from "../session";
import type { CliRunOptions } from "./args";
import { withArgvBytes } from "./raw-argv";

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"];

/** Flags are written by the agent: wider access than the policy gives is an escalation to approve, never an override. */
function requestFrom(options: CliRunOptions): Partial<Grant> | undefined {
  const request: Partial<Grant> = {};
  if (options.sandbox) request.sandbox = options.sandbox;
  if (options.network) request.network = options.network;
  return Object.keys(request).length > 0 ? request : undefined;
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
  const cwd = workingDirectory();
  const session = new Session({ workspace: options.workspace ?? cwd, keepEnv: options.keepEnv, allowDegraded: options.allowDegraded, terminal: true });
  let forward: ((signal: NodeJS.Signals) => void) | undefined;
  try {
    const request = requestFrom(options);
    const result = await session.run(argv, {
      cwd,
      stdio: "inherit",
      // The words as the agent wrote them, bytes that are not UTF-8 included.
      exactArgv: withArgvBytes(argv),
      ...(request ? { request } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      onStart: (run: LaunchedRun) => {
        // An on-failure re-run starts a second command: signals go to the live one.
        if (forward) for (const signal of FORWARDED) process.removeListener(signal, forward);
        // The command shares our process group: what the terminal sent reached it already.
        forward = (signal) => reachedGroupFromTerminal(signal) || run.kill(signal);
        for (const signal of FORWARDED) process.on(signal, forward);
      },
    });
    if (!result.ran) process.stderr.write(`safe-sh: refused: ${result.approval.reason}\n${result.hint ? `hint: ${result.hint}\n` : ""}`);
    return result.status;
  } finally {
    if (forward) for (const signal of FORWARDED) process.removeListener(signal, forward);
    await session.close();
  }
}
