// Which enforcer runs go through (Linux's namespaces or macOS's Seatbelt) and
// the host pieces the macOS path starts: injectable, so that path is tested anywhere.
import type { ChildProcess } from "node:child_process";

export interface Platform {
  os: "linux" | "darwin";
  /** macOS: the safe-sh-exec to start; default the package's build/Release/safe-sh-exec. */
  launcher?: string;
  /** macOS: starts `/usr/bin/log stream` for a run's denials; default child_process.spawn. */
  spawnLog?: (file: string, args: string[]) => ChildProcess;
}

/** This machine: macOS or (anything else the addon refuses later) Linux. */
export function hostPlatform(): Platform {
  return { os: process.platform === "darwin" ? "darwin" : "linux" };
}

/** The real `log stream`: its stdout read, nothing else kept. */
export function spawnLogStream(file: string, args: string[]): ChildProcess {
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  return spawn(file, args, { stdio: ["ignore", "pipe", "ignore"] });
}
