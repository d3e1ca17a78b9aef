// Grants: the access a run gets, how two grants compare (is this an
// escalation?), and whether the admin's requirements allow one.
import type { Policy } from "../policy/types";
import { NETWORK_MODES, SANDBOX_MODES } from "../types";
import type { DecideContext, Grant } from "./types";
import { wideRootReason } from "./wide-roots";

/** Modes are listed narrowest first: a later one is wider. */
const wider = <T>(modes: readonly T[], a: T, b: T) => modes.indexOf(a) > modes.indexOf(b);

/** What the policy gives without asking. */
export function baseGrant(policy: Policy): Grant {
  return { sandbox: policy.sandbox, network: policy.network.mode, writableRoots: [...policy.writableRoots] };
}

/** Ways `wanted` exceeds `base`, one line each (empty when it does not). */
export function escalations(base: Grant, wanted: Grant): string[] {
  const more: string[] = [];
  if (wider(SANDBOX_MODES, wanted.sandbox, base.sandbox)) more.push(`sandbox ${base.sandbox} → ${wanted.sandbox}`);
  if (wider(NETWORK_MODES, wanted.network, base.network)) more.push(`network ${base.network} → ${wanted.network}`);
  for (const root of wanted.writableRoots) if (!base.writableRoots.includes(root)) more.push(`writable root ${root}`);
  return more;
}

/**
 * The workspace and writable roots of `grant` that are too wide to write
 * without approval (`/`, a system tree, the whole home), one line each;
 * whoever configured or asked for them, they are an escalation.
 */
export function wideRoots(grant: Grant, workspace: string | undefined): string[] {
  const lines: string[] = [];
  if (grant.sandbox === "read-only") return lines;
  const named = [...(workspace === undefined ? [] : [["workspace", workspace]]), ...grant.writableRoots.map((root) => ["writable root", root])];
  for (const [what, root] of named) {
    const reason = wideRootReason(root!);
    if (reason) lines.push(`${what} ${reason}`);
  }
  return lines;
}

/**
 * The grant a run asks for: the request merged over the base; after a
 * sandbox denial with no wider request, full access and full network (the
 * re-run "with more access").
 */
export function wantedGrant(base: Grant, context: DecideContext): Grant {
  const wanted: Grant = {
    sandbox: context.request?.sandbox ?? base.sandbox,
    network: context.request?.network ?? base.network,
    writableRoots: [...base.writableRoots, ...(context.request?.writableRoots ?? []).filter((r) => !base.writableRoots.includes(r))],
  };
  if (context.retryAfterDenial && escalations(base, wanted).length === 0) {
    return { ...wanted, sandbox: "full-access", network: "full" };
  }
  return wanted;
}

/** Lines naming what requirements.toml forbids in this grant (empty when allowed). */
export function forbiddenByRequirements(policy: Policy, grant: Grant): string[] {
  const problems: string[] = [];
  if (!policy.requirements.allowedSandboxModes.includes(grant.sandbox)) problems.push(`requirements.toml does not allow sandbox ${grant.sandbox}`);
  if (!policy.requirements.allowedNetworkModes.includes(grant.network)) problems.push(`requirements.toml does not allow network ${grant.network}`);
  return problems;
}

/** One line for prompts and logs: "sandbox workspace-write, network none". */
export function describeGrant(grant: Grant): string {
  const roots = grant.writableRoots.length > 0 ? `, writable ${grant.writableRoots.join(", ")}` : "";
  return `sandbox ${grant.sandbox}, network ${grant.network}${roots}`;
}
