// What a macOS run enforced, for the audit trail's exec record: Seatbelt's
// guarantees for the plan, claimed only once the launcher reported the profile applied.
import type { EnforcementReport } from "../../types";
import type { DarwinPlan } from "./plan";

/** The exec record's `enforced` and `degraded` for a macOS run (cf. enforcement() on Linux). */
export function seatbeltEnforcement(plan: DarwinPlan, report: EnforcementReport | undefined): { enforced: string[]; degraded: string[] } {
  if (!report?.seatbelt) return { enforced: [], degraded: [...plan.notEnforced, "no enforcement report: the launcher ended before exec"] };
  const { seatbelt } = plan;
  const enforced = ["Seatbelt profile (deny default)"];
  enforced.push(plan.mode === "full-access" ? "writes anywhere (full-access)" : `writes only beneath the writable roots (${plan.writeRoots.length}, private TMPDIR included)`);
  if (seatbelt.protect.length > 0) enforced.push(`protected paths (${seatbelt.protect.length})`);
  if (seatbelt.denyRead.length > 0) enforced.push(`credential masks (${seatbelt.denyRead.length})`);
  if (plan.network === "none") enforced.push("no network (IP sockets denied)");
  if (plan.network === "allowlist") enforced.push(`network allowlist proxy (outbound only to 127.0.0.1:${seatbelt.proxyPort})`);
  enforced.push("signals and process info only within the sandbox", "process-group containment", "env scrubbed");
  return { enforced, degraded: [...new Set([...plan.notEnforced, ...report.missing])] };
}
