// Everything a macOS run needs before safe-sh-exec starts: a private TMPDIR,
// the canonical plan, its Seatbelt profile, and the launcher's argv. Same
// shape as SafeShell's Linux launch, so the run pipeline can branch on it.
import fs = require("node:fs");
import os = require("node:os");
import path = require("node:path");
import { SafeShError } from "../../errors";
import { randomId } from "../../random-id";
import { packageRoot } from "../native";
import { darwinLauncherArgs } from "./launcher-args";
import { buildDarwinPlan, type DarwinHost, type DarwinPlanOptions } from "./plan";
import { seatbeltProfile } from "./profile";

/** The real machine, for buildDarwinPlan. */
export function localHost(): DarwinHost {
  return {
    realpath: (p) => fs.realpathSync.native(p),
    isDirectory: (p) => fs.statSync(p).isDirectory(),
    exists: (p) => fs.existsSync(p),
    home: os.homedir(),
  };
}

/** build/Release/safe-sh-exec. Throws ERR_SAFESH_NATIVE when it is not built. */
export function darwinLauncherPath(): string {
  const file = path.join(packageRoot(), "build", "Release", "safe-sh-exec");
  if (!fs.existsSync(file)) throw new SafeShError("ERR_SAFESH_NATIVE", `${file} is not built`, "run `npm install` (or `npm run build`)");
  return file;
}

/**
 * Plans one macOS run of `argv`. The caller spawns `file` (default the
 * package's launcher) with `args`, `plan.env` and `plan.cwd`, and calls
 * cleanup() when it ends; the run's denials carry `plan.seatbelt.runId`
 * (the given one, else a fresh one; see violations.ts). With `reportFd` the
 * launcher reports on that fd that the profile was applied, just before exec. Throws as
 * buildDarwinPlan and seatbeltProfile do, and ERR_SAFESH_NATIVE.
 */
export function darwinLaunch(
  options: Omit<DarwinPlanOptions, "runId" | "tmpdir"> & { runId?: string },
  argv: readonly string[],
  host: DarwinHost = localHost(),
  launcher: { file?: string; reportFd?: number } = {},
): { file: string; args: string[]; plan: ReturnType<typeof buildDarwinPlan>; cleanup(): void } {
  const file = launcher.file ?? darwinLauncherPath();
  // Under the user's own temp dir ($TMPDIR, per-user on macOS), not /tmp.
  const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-"));
  const cleanup = () => fs.rmSync(tmpdir, { recursive: true, force: true });
  try {
    const plan = buildDarwinPlan({ ...options, runId: options.runId ?? randomId(), tmpdir }, host);
    return { file, args: darwinLauncherArgs(plan, seatbeltProfile(plan.seatbelt), argv, launcher.reportFd), plan, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}
