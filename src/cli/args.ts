// Parses safe-sh's command line into a request; no side effects.
import { SafeShError } from "../errors";
import { NETWORK_MODES, SANDBOX_MODES, type NetworkMode, type SandboxMode } from "../types";

export type CliRequest =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "doctor"; json: boolean }
  | { kind: "run"; argv: string[]; options: CliRunOptions };

export interface CliRunOptions {
  workspace?: string;
  /** Absent: the policy's. */
  sandbox?: SandboxMode;
  /** Absent: the policy's. */
  network?: NetworkMode;
  keepEnv: string[];
  allowDegraded: boolean;
  timeoutMs?: number;
}


function usage(message: string): SafeShError {
  return new SafeShError("ERR_SAFESH_USAGE", message, "run `safe-sh --help` for usage");
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usage(`${flag} ${value}: expected one of ${allowed.join(", ")}`);
}

/** Throws ERR_SAFESH_USAGE with a message naming the flag. */
export function parseArgs(args: readonly string[]): CliRequest {
  if (args[0] === "doctor") {
    const rest = args.slice(1);
    for (const arg of rest) if (arg !== "--json") throw usage(`doctor: unknown argument ${arg}`);
    return { kind: "doctor", json: rest.includes("--json") };
  }

  const options: CliRunOptions = { keepEnv: [], allowDegraded: false };
  let i = 0;
  const value = (flag: string): string => {
    const inline = args[i]!.startsWith(`${flag}=`) ? args[i]!.slice(flag.length + 1) : undefined;
    if (inline !== undefined) return inline;
    const next = args[++i];
    if (next === undefined) throw usage(`${flag}: missing value`);
    return next;
  };
  const flagName = (arg: string) => arg.split("=", 1)[0]!;

  for (; i < args.length; i++) {
    const arg = args[i]!;
    switch (flagName(arg)) {
      case "-h":
      case "--help":
        return { kind: "help" };
      case "-V":
      case "--version":
        return { kind: "version" };
      case "--workspace":
        options.workspace = value("--workspace");
        continue;
      case "--sandbox":
        options.sandbox = oneOf("--sandbox", value("--sandbox"), SANDBOX_MODES);
        continue;
      case "--network":
        options.network = oneOf("--network", value("--network"), NETWORK_MODES);
        continue;
      case "--keep-env":
        options.keepEnv.push(value("--keep-env"));
        continue;
      case "--allow-degraded":
        options.allowDegraded = true;
        continue;
      case "--timeout": {
        const text = value("--timeout");
        const seconds = Number(text);
        // Under a millisecond would kill the command before it starts: a typo, not a limit.
        if (!Number.isFinite(seconds) || seconds < 0.001) throw usage(`--timeout ${text.slice(0, 40)}: expected a number of seconds, at least 0.001`);
        options.timeoutMs = Math.ceil(seconds * 1000);
        continue;
      }
      case "-c":
      case "-lc":
      case "-cl": {
        const script = args[i + 1];
        if (script === undefined) throw usage(`${arg}: missing script`);
        // Like bash: further words become $0, $1, ...
        const argv = ["bash", arg === "-c" ? "-c" : "-lc", script, ...args.slice(i + 2)];
        return { kind: "run", argv, options };
      }
      case "--": {
        const argv = args.slice(i + 1);
        if (argv.length === 0) throw usage("--: missing command");
        return { kind: "run", argv, options };
      }
      default:
        if (arg.startsWith("-")) throw usage(`${arg}: unknown option`);
        throw usage(`${arg}: unexpected argument (use -c 'SCRIPT' or -- COMMAND ARGS...)`);
    }
  }
  throw usage("nothing to run (use -c 'SCRIPT' or -- COMMAND ARGS...)");
}
