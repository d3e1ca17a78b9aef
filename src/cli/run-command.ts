// `safe-sh -c` / `safe-sh -- argv`: run confined with the terminal attached,
// forward signals, exit with the command's status (128+N for a signal).
import { SafeShell, killGroup } from "../run";
import type { CliRunOptions } from "./args";

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"];

export function runCommand(argv: string[], options: CliRunOptions): Promise<number> {
  const shell = new SafeShell({
    workspace: options.workspace,
    sandbox: options.sandbox,
    network: options.network,
    keepEnv: options.keepEnv,
    allowDegraded: options.allowDegraded,
  });
  // Not detached: the command stays in the terminal's foreground group, so
  // interactive programs and Ctrl-C work as they do under bash.
  const child = shell.spawn(argv, { stdio: "inherit", detached: false });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);

  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          process.stderr.write(`safe-sh: timed out after ${options.timeoutMs! / 1000}s; killing the command\n`);
          child.kill("SIGKILL");
          killGroup(child, "SIGKILL");
        }, options.timeoutMs);

  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      for (const name of FORWARDED) process.removeListener(name, forward);
      if (signal) {
        const { constants } = require("node:os") as typeof import("node:os");
        resolve(128 + (constants.signals[signal] ?? 0));
      } else {
        resolve(code ?? 1);
      }
    });
  });
}
