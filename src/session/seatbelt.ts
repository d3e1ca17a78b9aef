// The macOS side of a Session run: what the exec record claims, and the
// denials Seatbelt logged for the run (audit records, and on-failure's evidence).
import type { DarwinPlan } from "../sandbox/darwin/plan";
import type { SandboxViolation } from "../sandbox/darwin/violations";
import { enforcement, type SandboxPlan } from "../sandbox/plan";
import { spawnLogStream, type Platform } from "../sandbox/platform";
import type { ViolationEvent } from "../audit/record";
import type { EnforcementReport } from "../types";

/** The exec record's `enforced`/`degraded`: Seatbelt's list for a macOS plan, the launcher's report on Linux. */
export function runEnforcement(plan: SandboxPlan, report: EnforcementReport | undefined): { enforced: string[]; degraded: string[] } {
  if (!("seatbelt" in plan)) return enforcement(plan, report);
  const { seatbeltEnforcement } = require("../sandbox/darwin/guarantees") as typeof import("../sandbox/darwin/guarantees");
  return seatbeltEnforcement(plan as DarwinPlan, report);
}

/**
 * On macOS, starts reading the unified log for the run's denials before it
 * starts; stop() returns them once it has ended. Nothing on Linux (the
 * kernel logs no per-run denials there).
 */
export function watchDenials(platform: Platform, runId: string): { stop(): Promise<SandboxViolation[]> } {
  if (platform.os !== "darwin") return { stop: async () => [] };
  const { watchViolations } = require("../sandbox/darwin/violations") as typeof import("../sandbox/darwin/violations");
  return watchViolations(runId, platform.spawnLog ?? spawnLogStream);
}

/** Runs `start`; when it throws (nothing ran), the denial watch is stopped before the error goes on. */
export function startWatched<T>(denials: { stop(): Promise<unknown> }, start: () => T): T {
  try {
    return start();
  } catch (error) {
    void denials.stop();
    throw error;
  }
}

/** One line saying what Seatbelt denied and what a re-run would need; none without denials. */
export function deniedNotice(violations: readonly SandboxViolation[]): string | undefined {
  if (violations.length === 0) return undefined;
  const { grantHint } = require("../sandbox/darwin/violations") as typeof import("../sandbox/darwin/violations");
  const hint = grantHint(violations);
  const needs = [
    ...(hint.writableRoots.length > 0 ? [`writes in ${hint.writableRoots.join(", ")}`] : []),
    ...(hint.readPaths.length > 0 ? [`reads of ${hint.readPaths.join(", ")}`] : []),
    ...(hint.network ? ["the network"] : []),
  ];
  const what = needs.length > 0 ? needs.join("; ") : [...new Set(violations.map((v) => v.operation))].join(", ");
  return `safe-sh: the sandbox (Seatbelt) denied ${violations.length} operation${violations.length === 1 ? "" : "s"}: ${what}`;
}

/** One `violation` audit record per denial, tied to the run by its id. */
export function violationRecords(violations: readonly SandboxViolation[], command: string, cwd: string): ViolationEvent[] {
  const { violationEvent } = require("../sandbox/darwin/violations") as typeof import("../sandbox/darwin/violations");
  return violations.map((violation) => ({ ...violationEvent(violation, command), cwd }));
}
