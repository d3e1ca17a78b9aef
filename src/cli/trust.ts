// `safe-sh trust [DIR]` / `safe-sh untrust [DIR]` / `safe-sh trust --list`:
// the projects whose .safe-sh/config.toml is loaded.
import { SafeShError } from "../errors";
import { findProjectRoot, resolveLocations } from "../policy/locations";
import { listTrusted, setTrusted } from "../policy/trust-store";

/** Trusts (trusted = true) or untrusts DIR, default the project around the cwd. Throws ERR_SAFESH_USAGE, ERR_SAFESH_WORKSPACE, ERR_SAFESH_POLICY_INVALID. */
export async function changeTrust(args: string[], trusted: boolean): Promise<number> {
  const name = trusted ? "trust" : "untrust";
  const where = resolveLocations();
  if (trusted && args.length === 1 && args[0] === "--list") {
    for (const dir of listTrusted(where.stateDir)) process.stdout.write(`${dir}\n`);
    return 0;
  }
  if (args.length > 1 || args[0]?.startsWith("-")) {
    throw new SafeShError("ERR_SAFESH_USAGE", `${name}: unexpected argument ${args.at(-1)}`, `usage: safe-sh ${name} [DIR]${trusted ? " | safe-sh trust --list" : ""}`);
  }
  const dir = args[0] ?? findProjectRoot(where.cwd) ?? where.cwd;
  const result = setTrusted(where.stateDir, dir, trusted);
  const state = result.changed ? `${name}ed` : `already ${name}ed`;
  process.stdout.write(`${state}: ${result.path}\n`);
  return 0;
}

export async function command(args: string[]): Promise<number> {
  return changeTrust(args, true);
}
