// Entry point of the safe-sh CLI: parse, dispatch, map errors to exit codes.
import { EXIT_FAILED, SafeShError } from "../errors";
import { parseArgs, type CliRequest } from "./args";
import { version as VERSION } from "../../package.json";

/**
 * Subcommands that take over the rest of the command line. Each module
 * exports `command(args: string[]): Promise<number>` (the exit status) and is
 * loaded only when used. One line per subcommand.
 */
const SUBCOMMANDS: Record<string, () => Promise<{ command(args: string[]): Promise<number> }>> = {
  audit: () => import("./audit"),
  explain: () => import("./explain"),
  config: () => import("./config"),
  trust: () => import("./trust"),
  untrust: () => import("./untrust"),
  secret: () => import("./secret"),
  review: () => import("./review"),
  hook: () => import("./hook"),
  mcp: () => import("./mcp"),
  setup: () => import("./setup"),
};

/** A working directory deleted under us is the user's to fix, not an internal error. */
function deletedCwd(error: unknown): SafeShError | undefined {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (code !== "ENOENT" || syscall !== "uv_cwd") return undefined;
  return new SafeShError("ERR_SAFESH_WORKSPACE", "the working directory no longer exists", "cd to an existing directory and run the command again", { cause: error });
}

function fail(thrown: unknown): number {
  const error = deletedCwd(thrown) ?? thrown;
  if (error instanceof SafeShError) {
    process.stderr.write(`safe-sh: ${error.message} [${error.code}]\nhint: ${error.hint}\n`);
    return error.exitCode;
  }
  process.stderr.write(`safe-sh: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT_FAILED;
}

async function dispatch(request: CliRequest): Promise<number> {
  switch (request.kind) {
    case "help":
      process.stdout.write((await import("./help")).HELP);
      return 0;
    case "version":
      process.stdout.write(`safe-sh ${VERSION}\n`);
      return 0;
    case "doctor":
      return (await import("./doctor")).doctor(request.json);
    case "run":
      return (await import("./run-command")).runCommand(request.argv, request.options);
  }
}

export async function main(args: readonly string[]): Promise<void> {
  let status: number;
  try {
    const sub = args[0] === undefined ? undefined : SUBCOMMANDS[args[0]];
    status = sub ? await (await sub()).command(args.slice(1)) : await dispatch(parseArgs(args));
  } catch (error) {
    status = fail(error);
  }
  process.exitCode = status;
}
