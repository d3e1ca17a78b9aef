// What no reviewer verdict may approve, whatever the model says: privileged
// commands and access beyond the workspace. A human decides those.
import path = require("node:path");
import type { Policy } from "../policy/types";
import type { ReviewRequest } from "./request";

function inside(root: string, dir: string): boolean {
  const relative = path.relative(dir, root);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** Why the request is beyond any reviewer's say; undefined when the model may decide. */
export function hardRule(request: ReviewRequest, policy: Pick<Policy, "sandbox" | "writableRoots">): string | undefined {
  const privileged = request.commands.find((command) => command.risk === "privileged");
  if (privileged) return `privileged: ${privileged.argv.join(" ").slice(0, 200)}`;
  if (request.risk === "privileged") return "privileged script";
  if (request.grant.sandbox === "full-access" && policy.sandbox !== "full-access") return "full-access: writes outside the workspace";
  const outside = request.grant.writableRoots.find((root) => !policy.writableRoots.includes(root) && !inside(root, request.cwd));
  if (outside !== undefined) return `writable root outside the workspace: ${outside}`;
  return undefined;
}
