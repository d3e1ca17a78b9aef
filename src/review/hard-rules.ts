// What no reviewer verdict may approve, whatever the model says: privileged
// commands are denied (they cannot work confined anyway: no_new_privs), and
// access beyond the workspace goes to a human.
import path = require("node:path");
import type { Policy } from "../policy/types";
import type { ReviewRequest } from "./request";

function inside(root: string, dir: string): boolean {
  const relative = path.relative(dir, root);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

export interface HardRule {
  verdict: "deny" | "escalate";
  reason: string;
}

/** The verdict a hard rule sets, without asking the model; undefined when the model may decide. */
export function hardRule(request: ReviewRequest, policy: Pick<Policy, "sandbox" | "writableRoots">): HardRule | undefined {
  const privileged = request.commands.find((command) => command.risk === "privileged");
  if (privileged || request.risk === "privileged") {
    const what = privileged ? privileged.argv.join(" ").slice(0, 200) : "the script";
    return { verdict: "deny", reason: `privileged (${what}): no reviewer may approve it` };
  }
  const beyond =
    request.grant.sandbox === "full-access" && policy.sandbox !== "full-access"
      ? "full-access writes outside the workspace"
      : request.grant.writableRoots.find((root) => !policy.writableRoots.includes(root) && !inside(root, request.cwd));
  if (beyond !== undefined) return { verdict: "escalate", reason: `beyond the workspace (${beyond.startsWith("/") ? `writable root ${beyond}` : beyond}): a human decides` };
  return undefined;
}
