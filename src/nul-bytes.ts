// Refuses NUL bytes in anything that becomes a C string (argv, env, paths):
// the kernel would cut the string there, so what is checked is not what runs.
import { SafeShError } from "./errors";

/** Longest part of a value quoted in the error: the value itself may be huge. */
const SHOWN = 60;

function shown(word: string | Buffer): string {
  const value = typeof word === "string" ? word : word.toString("utf8");
  const text = JSON.stringify(value.length > SHOWN ? `${value.slice(0, SHOWN)}…` : value);
  return value.length > SHOWN ? `${text} (${value.length} characters)` : text;
}

/**
 * Throws ERR_SAFESH_USAGE when any value holds a NUL byte; `what` names the
 * input in the message ("argv[0]", "env", "cwd").
 */
export function refuseNul(what: string, values: readonly (string | Buffer | undefined)[]): void {
  values.forEach((value, index) => {
    if (value === undefined || !(typeof value === "string" ? value.includes("\0") : value.includes(0))) return;
    const where = values.length > 1 ? `${what}[${index}]` : what;
    throw new SafeShError(
      "ERR_SAFESH_USAGE",
      `${where} contains a NUL byte: ${shown(value)}`,
      "remove the NUL byte: no program can receive one (the kernel would cut the word there)",
    );
  });
}

/** A script or an argv as given to be classified or run. Throws ERR_SAFESH_USAGE. */
export function refuseNulInCommand(command: string | Buffer | readonly (string | Buffer)[]): void {
  if (typeof command === "string" || Buffer.isBuffer(command)) refuseNul("script", [command]);
  else refuseNul("argv", command as readonly (string | Buffer)[]);
}

/** Everything of a run that reaches the launcher as a C string. Throws ERR_SAFESH_USAGE. */
export function refuseNulInRun(command: string | Buffer | readonly (string | Buffer)[], options: {
  cwd?: string; workspace?: string; writableRoots?: string[]; env?: NodeJS.ProcessEnv; keepEnv?: string[]; protectedPaths?: string[]; maskedPaths?: string[];
}): void {
  refuseNulInCommand(command);
  refuseNul("cwd", [options.cwd]);
  refuseNul("workspace", [options.workspace]);
  refuseNul("writableRoots", options.writableRoots ?? []);
  refuseNul("keepEnv", options.keepEnv ?? []);
  refuseNul("protectedPaths", options.protectedPaths ?? []);
  refuseNul("maskedPaths", options.maskedPaths ?? []);
  const env = Object.entries(options.env ?? {});
  refuseNul("env name", env.map(([name]) => name));
  for (const [name, value] of env) refuseNul(`env ${shown(name)}`, [value]);
}
