// What `safe-sh doctor` checks on macOS: sandbox-exec and the launcher are
// there, a generated profile compiles and runs /usr/bin/true, SIP, and what
// applies differently from Linux.
import fs = require("node:fs");
import os = require("node:os");
import path = require("node:path");
import { darwinLaunch } from "./launch";

export interface DarwinCheck {
  feature: string;
  status: "yes" | "no" | "partial";
  detail: string;
}

/** Runs a program to completion: exit status and output (spawnSync in production). */
export type RunProgram = (file: string, args: string[], options?: { env?: Record<string, string>; cwd?: string }) => { status: number | null; output: string };

export function sipCheck(csrutilOutput: string): DarwinCheck {
  const enabled = /status:\s*enabled/i.test(csrutilOutput);
  const custom = /Custom Configuration/i.test(csrutilOutput);
  if (enabled && !custom) return { feature: "SIP", status: "yes", detail: "enabled: root cannot alter the system's sandbox or Seatbelt's kernel extension" };
  if (enabled) return { feature: "SIP", status: "partial", detail: "custom configuration: some protections are off" };
  return { feature: "SIP", status: "partial", detail: "disabled: Seatbelt still applies, but root can tamper with the system" };
}

/** The checks, in order; `ready` when a confined run is possible. */
export function darwinChecks(run: RunProgram, exists: (p: string) => boolean = fs.existsSync, launch: typeof darwinLaunch = darwinLaunch): { checks: DarwinCheck[]; ready: boolean } {
  const version = run("/usr/bin/sw_vers", ["-productVersion"]);
  const checks: DarwinCheck[] = [{ feature: "platform", status: "yes", detail: `macOS ${version.output.trim() || "?"}` }];
  const sandboxExec = exists("/usr/bin/sandbox-exec");
  checks.push({ feature: "sandbox-exec", status: sandboxExec ? "yes" : "no", detail: sandboxExec ? "/usr/bin/sandbox-exec (libsandbox present)" : "missing: Seatbelt is unavailable" });
  let profileRuns = false;
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-doctor-"));
  try {
    const { file, args, plan, cleanup } = launch({ workspace, env: { PATH: "/usr/bin:/bin" } }, ["/usr/bin/true"]);
    try {
      const result = run(file, args, { env: plan.env, cwd: plan.cwd });
      profileRuns = result.status === 0;
      checks.push({ feature: "launcher", status: "yes", detail: file });
      checks.push({ feature: "Seatbelt profile", status: profileRuns ? "yes" : "no", detail: profileRuns ? "compiles and confines /usr/bin/true" : `failed (${result.status}): ${result.output.trim().split("\n")[0] ?? ""}` });
    } finally {
      cleanup();
    }
  } catch (error) {
    checks.push({ feature: "launcher", status: "no", detail: (error as Error).message });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  checks.push(sipCheck(run("/usr/bin/csrutil", ["status"]).output), ...MACOS_DIFFERENCES);
  return { checks, ready: sandboxExec && profileRuns };
}

/** What applies on macOS where it differs from Linux (docs/platforms.md, "What macOS can't enforce"). */
export const MACOS_DIFFERENCES: readonly DarwinCheck[] = [
  { feature: "containment", status: "partial", detail: "the command's process group is killed when it ends, on timeout and when safe-sh dies; a process that calls setsid(2) leaves it (no pid namespace)" },
  { feature: "network allowlist", status: "yes", detail: "the proxy listens on TCP 127.0.0.1; the profile lets commands connect to its port only (a program ignoring the proxy variables is blocked, not routed)" },
  { feature: "read allowlist", status: "no", detail: "[filesystem] read = \"allowlist\" is refused: reads are allowed everywhere but the masks and deny_read" },
  { feature: "resource limits", status: "no", detail: "[limits] pids and memory are not applied on macOS" },
];
