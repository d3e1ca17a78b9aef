// safe-sh doctor: a table of what this machine enforces, and why not.
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

/** Ubuntu's AppArmor userns restriction: a row, and whether it blocks the namespaces safe-sh needs. */
function appArmorRow(facts: ProbeResult, restricted: boolean): Row {
  if (!restricted) return { feature: "AppArmor userns", status: "yes", detail: "not restricted" };
  if (facts.launcherPath === INSTALLED_LAUNCHER) return { feature: "AppArmor userns", status: "yes", detail: `restricted; profile grants it to ${INSTALLED_LAUNCHER}` };
  return { feature: "AppArmor userns", status: "no", detail: `kernel.apparmor_restrict_unprivileged_userns=1 and no profile for the launcher; fix: ${setupCommand()}` };
}

export function doctorRows(facts: ProbeResult, restricted = userNamespacesRestricted()): Row[] {
  return [
    { feature: "platform", status: facts.platform === "linux" ? "yes" : "no", detail: facts.platform },
    { feature: "Landlock", status: facts.landlockAbi === 0 ? "no" : facts.landlockAbi >= 6 ? "yes" : "partial", detail: landlockDetail(facts.landlockAbi) },
    { feature: "seccomp", status: facts.seccomp ? "yes" : "no", detail: facts.seccomp ? "syscall deny list with arch check" : "unavailable" },
    { feature: "user namespaces", status: facts.userNamespaces ? "yes" : "no", detail: facts.userNamespaces ? "protected paths, credential masks, private /tmp, pid namespace containment" : "unavailable: safe-sh refuses unless --allow-degraded (then none of: protected paths, masks, private /tmp, containment)" },
    { feature: "net namespaces", status: facts.netNamespaces ? "yes" : "no", detail: facts.netNamespaces ? "empty network namespace for --network none" : "unavailable" },
    { feature: "launcher", status: facts.launcherPath ? "yes" : "no", detail: facts.launcherPath ?? "not built (run npm install)" },
    appArmorRow(facts, restricted),
  ];
}

/** Prints the table (or JSON); returns the exit status: 0 when a confined run is possible. */
export function doctor(json: boolean, out: NodeJS.WritableStream = process.stdout): number {
  const facts = probe({ fresh: true });
  const rows = doctorRows(facts);
  const blocked = rows.some((row) => row.feature === "AppArmor userns" && row.status === "no");
  const ready = facts.landlockAbi > 0 && facts.seccomp && facts.userNamespaces && facts.netNamespaces && facts.launcherPath !== null && !blocked;
  if (json) {
    out.write(`${JSON.stringify({ ...facts, ready, rows }, null, 2)}\n`);
  } else {
    const width = Math.max(...rows.map((row) => row.feature.length));
    for (const row of rows) out.write(`${row.feature.padEnd(width)}  ${row.status.padEnd(7)}  ${row.detail}\n`);
    for (const reason of facts.reasons) out.write(`why: ${reason}\n`);
    out.write(ready ? "ready: commands run confined\n" : "not ready: safe-sh refuses to run commands (exit 126) unless --allow-degraded\n");
  }
  return ready ? 0 : 1;
}
