// safe-sh audit verify|tail|stats: check the hash chain, print recent records, follow the log, summarise it.
import { SafeShError } from "../errors";
import { follow, formatLine, lastLines, verifyChain } from "../audit";
import { withSharedLock } from "../audit/verify";
import { logPath } from "./audit-path";
import { STATS_HELP, stats } from "./audit-stats";

const HELP = `safe-sh audit — the tamper-evident audit trail

Usage:
  safe-sh audit verify [--log PATH] [--json]            check the hash chain across rotated files
  safe-sh audit tail [-n N] [-f] [--json] [--log PATH]  print the last N records (default 10)
${STATS_HELP}
  safe-sh audit --help

  --log PATH   the log to read (default: the config's audit.path, $SAFE_SH_AUDIT_LOG,
               or $XDG_STATE_HOME/safe-sh/audit.jsonl: where safe-sh writes it)
  --json       verify: the result as JSON; tail: the raw JSON lines
  -f           keep printing new records (across rotation) until SIGINT/SIGTERM

Exit status (verify): 0 the chain is intact; 1 it is not (the first bad file:line and why:
edited, deleted, reordered, inserted, truncated, invalid-json, missing); 125 usage or read error.
`;

interface Flags {
  log?: string;
  json: boolean;
  follow: boolean;
  lines: number;
}

function usage(message: string): SafeShError {
  return new SafeShError("ERR_SAFESH_USAGE", message, "see `safe-sh audit --help`");
}

function parseFlags(args: string[], allowed: readonly string[]): Flags {
  const flags: Flags = { json: false, follow: false, lines: 10 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!allowed.includes(arg)) throw usage(`unknown option ${arg}`);
    if (arg === "--json") flags.json = true;
    else if (arg === "-f") flags.follow = true;
    else {
      const value = args[++i];
      if (value === undefined) throw usage(`${arg} needs a value`);
      if (arg === "--log") flags.log = value;
      else if (!/^\d+$/.test(value)) throw usage(`-n needs a non-negative integer, not ${value}`);
      else flags.lines = Number(value);
    }
  }
  return flags;
}


function unreadable(file: string, cause: unknown): SafeShError {
  const { code, message } = cause as NodeJS.ErrnoException;
  // EFTYPE/EFBIG: our own checks, whose message names the kind of file.
  const what = code === "EFTYPE" || code === "EFBIG" ? message : `${file}: ${code ?? cause}`;
  return new SafeShError("ERR_SAFESH_AUDIT_UNAVAILABLE", `cannot read ${what}`, "check --log PATH (or audit.path) and that it is a log you may read", { cause });
}

function verify(flags: Flags): number {
  const file = logPath(flags);
  let result;
  try {
    result = verifyChain(file);
  } catch (cause) {
    throw unreadable(file, cause);
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else if (result.problem) {
    const { file: bad, line, reason, detail } = result.problem;
    process.stdout.write(`${bad}:${line}: ${reason}: ${detail}\n`);
  } else {
    process.stdout.write(`ok: ${result.records} records in ${result.files.length} file(s), chain from ${result.start}, last seq ${result.lastSeq ?? "-"}\n`);
  }
  return result.ok ? 0 : 1;
}

async function tail(flags: Flags): Promise<number> {
  const file = logPath(flags);
  const print = (line: string): void => {
    process.stdout.write(`${flags.json ? line : formatLine(line)}\n`);
  };
  const controller = new AbortController();
  // Under the writers' lock, so no record lands between the last lines
  // printed and the point where following starts (follow opens synchronously).
  let following: Promise<void> | undefined;
  try {
    following = withSharedLock(file, () => {
      lastLines(file, flags.lines).forEach(print);
      return flags.follow ? follow(file, { onLine: print, signal: controller.signal }) : undefined;
    });
  } catch (cause) {
    throw unreadable(file, cause);
  }
  if (!following) return 0;
  const stop = (): void => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await following;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
  return 0;
}

/** `safe-sh audit ...`; returns the exit status. Throws ERR_SAFESH_USAGE, ERR_SAFESH_AUDIT_UNAVAILABLE. */
export async function command(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case undefined:
      throw usage("missing audit subcommand: verify, tail or stats");
    case "--help":
    case "-h":
    case "help":
      process.stdout.write(HELP);
      return 0;
    case "verify":
      return verify(parseFlags(rest, ["--log", "--json"]));
    case "tail":
      return tail(parseFlags(rest, ["--log", "--json", "-f", "-n"]));
    case "stats":
      return stats(rest);
    default:
      throw usage(`unknown audit subcommand ${sub}`);
  }
}
