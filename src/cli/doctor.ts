// safe-sh doctor: a table of what this machine enforces, and why not.
import { loadPolicy } from "../policy/load";
import { spawnSync } from "node:child_process";
import { DEFAULT_LIMITS, describeLimits, type CgroupProbe, type ResourceLimits } from "../sandbox/limits";
import { INSTALLED_LAUNCHER } from "../sandbox/installed-launcher";
import { probe } from "../sandbox/native";
import { setupCommand, userNamespacesRestricted } from "../setup/apparmor";
import type { ProbeResult } from "../types";

interface Row {
  feature: string;
  status: "yes" | "no" | "partial";
  detail: string;
}

function landlockDetail(abi: number): string {
  if (abi === 0) return "unavailable: writes outside the workspace cannot be prevented";
  const parts = ["filesystem rules"];
  if (abi >= 2) parts.push("refer");
  if (abi >= 3) parts.push("truncate");
  if (abi >= 4) parts.push("TCP bind/connect");
  if (abi >= 5) parts.push("device ioctl");
  if (abi >= 6) parts.push("signal + abstract-socket scopes");
  return `ABI ${abi}: ${parts.join(", ")}`;
}

/** The limits a run from here gets: the defaults under the config's `[limits]`. */
function effectiveLimits(): { limits: ResourceLimits; why?: string } {
  try {
    return { limits: { ...DEFAULT_LIMITS, ...loadPolicy().policy.limits } };
  } catch (error) {
    return { limits: DEFAULT_LIMITS, why: `limits: the defaults (the config did not load: ${(error as Error).message})` };
  }
}

/** Where the launcher would put each limit (its --probe-limits): run here, it sees this process's cgroups. */
function probeCgroups(launcher: string | null): CgroupProbe | undefined {
  if (!launcher) return undefined;
  const probed = spawnSync(launcher, ["--probe-limits"], { encoding: "utf8", timeout: 5000 });
  try {
    return probed.status === 0 ? (JSON.parse(probed.stdout) as CgroupProbe) : undefined;
  } catch {
    return undefined;
  }
}

function limitRows(limits: ResourceLimits, cgroups: CgroupProbe | undefined): Row[] {
  const [pids = "", memory = ""] = describeLimits(limits, cgroups);
  return [
    { feature: "process limit", status: limits.pids === 0 || pids.startsWith("processes: none") ? "no" : "yes", detail: pids },
    { feature: "memory limit", status: limits.memoryMiB === 0 ? "no" : "yes", detail: memory },
  ];
}

/** Ubuntu's AppArmor userns restriction: a row, and whether it blocks the namespaces safe-sh needs. */
function appArmorRow(facts: ProbeResult, restricted: boolean): Row {
  if (!restricted) return { feature: "AppArmor userns", status: "yes", detail: "not restricted" };
  if (facts.launcherPath === INSTALLED_LAUNCHER) return { feature: "AppArmor userns", status: "yes", detail: `restricted; profile grants it to ${INSTALLED_LAUNCHER}` };
  return { feature: "AppArmor userns", status: "no", detail: `kernel.apparmor_restrict_unprivileged_userns=1 and no profile for the launcher; fix: ${setupCommand()}` };
}

export function doctorRows(facts: ProbeResult, limits: ResourceLimits = DEFAULT_LIMITS, restricted = userNamespacesRestricted(), cgroups = probeCgroups(facts.launcherPath)): Row[] {
  return [
    { feature: "platform", status: facts.platform === "linux" ? "yes" : "no", detail: facts.platform },
    { feature: "Landlock", status: facts.landlockAbi === 0 ? "no" : facts.landlockAbi >= 6 ? "yes" : "partial", detail: landlockDetail(facts.landlockAbi) },
    { feature: "seccomp", status: facts.seccomp ? "yes" : "no", detail: facts.seccomp ? "syscall deny list with arch check" : "unavailable" },
    { feature: "user namespaces", status: facts.userNamespaces ? "yes" : "no", detail: facts.userNamespaces ? "read-only view outside writable roots, protected paths, credential masks, private /tmp, pid namespace containment" : "unavailable: safe-sh refuses unless --allow-degraded (then none of: the read-only view — metadata outside the writable roots can be changed —, protected paths, masks, private /tmp, containment)" },
    { feature: "net namespaces", status: facts.netNamespaces ? "yes" : "no", detail: facts.netNamespaces ? "a private network namespace (its own lo only) for --network none and allowlist" : "unavailable" },
    { feature: "launcher", status: facts.launcherPath ? "yes" : "no", detail: facts.launcherPath ?? "not built (run npm install)" },
    ...limitRows(limits, cgroups),
    appArmorRow(facts, restricted),
  ];
}

/** Prints the table (or JSON); returns the exit status: 0 when a confined run is possible. */
export function doctor(json: boolean, out: NodeJS.WritableStream = process.stdout): number {
  if (process.platform === "darwin") return (require("./doctor-darwin") as typeof import("./doctor-darwin")).doctorDarwin(json, out);
  const facts = probe({ fresh: true });
  const { limits, why } = effectiveLimits();
  const rows = doctorRows(facts, limits);
  const blocked = rows.some((row) => row.feature === "AppArmor userns" && row.status === "no");
  const ready = facts.landlockAbi > 0 && facts.seccomp && facts.userNamespaces && facts.netNamespaces && facts.launcherPath !== null && !blocked;
  if (json) {
    out.write(`${JSON.stringify({ ...facts, ready, limits, rows }, null, 2)}\n`);
  } else {
    const width = Math.max(...rows.map((row) => row.feature.length));
    for (const row of rows) out.write(`${row.feature.padEnd(width)}  ${row.status.padEnd(7)}  ${row.detail}\n`);
    for (const reason of [...facts.reasons, ...(why ? [why] : [])]) out.write(`why: ${reason}\n`);
    out.write(ready ? "ready: commands run confined\n" : "not ready: safe-sh refuses to run commands (exit 126) unless --allow-degraded\n");
  }
  return ready ? 0 : 1;
}
