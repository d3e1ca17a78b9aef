// Decides whether the confinement tests can run on this machine. With
// SAFE_SH_REQUIRE_SANDBOX=1 (CI) nothing is skipped: a missing feature fails.
import * as fs from "node:fs";

export const REQUIRE_SANDBOX = process.env.SAFE_SH_REQUIRE_SANDBOX === "1";

export interface KernelFacts {
  landlockAbi: number;
  seccomp: boolean;
  userNamespaces: boolean;
  netNamespaces: boolean;
  launcherPath: string | null;
  /** Why something is missing: probe reasons, or why the addon didn't load. */
  reasons: string[];
}

function loadFacts(): KernelFacts {
  if (process.platform !== "linux") {
    return { landlockAbi: 0, seccomp: false, userNamespaces: false, netNamespaces: false, launcherPath: null, reasons: [`platform is ${process.platform}`] };
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { probe } = require("../../dist/sandbox/native.js") as typeof import("../../dist/sandbox/native");
    const facts = probe();
    const launcherPath = facts.launcherPath && fs.existsSync(facts.launcherPath) ? facts.launcherPath : null;
    return { landlockAbi: facts.landlockAbi, seccomp: facts.seccomp, userNamespaces: facts.userNamespaces, netNamespaces: facts.netNamespaces, launcherPath, reasons: facts.reasons };
  } catch (error) {
    return { landlockAbi: 0, seccomp: false, userNamespaces: false, netNamespaces: false, launcherPath: null, reasons: [String((error as Error).message)] };
  }
}

let cached: KernelFacts | undefined;

/** What this kernel and build provide, measured once per test file. */
export function kernelFacts(): KernelFacts {
  return (cached ??= loadFacts());
}

/**
 * True when the launcher is built and the kernel has seccomp and Landlock of
 * at least `minAbi` (what safe-sh-exec needs without --namespaces). With
 * SAFE_SH_REQUIRE_SANDBOX=1 the basics (ABI 1) are demanded, not probed: the
 * tests run and fail instead of being skipped; a test of a newer ABI's right
 * is still skipped, visibly, on an older kernel. Use with describe.runIf / it.runIf.
 */
export function canConfineWithoutNamespaces(minAbi = 1): boolean {
  const facts = kernelFacts();
  if (REQUIRE_SANDBOX) return minAbi <= 1 || facts.landlockAbi >= minAbi;
  return facts.launcherPath !== null && facts.seccomp && facts.landlockAbi >= minAbi;
}

/** Launcher flags forcing the ABI of SAFE_SH_LANDLOCK_MAX_ABI, for tests that run safe-sh-exec directly. */
export function abiCapFlags(): string[] {
  const cap = process.env.SAFE_SH_LANDLOCK_MAX_ABI;
  return cap ? ["--landlock-max-abi", cap] : [];
}

/**
 * As canConfineWithoutNamespaces, plus the user and network namespaces that
 * SafeShell's default plan (private /tmp, pid namespace, empty network)
 * refuses to run without.
 */
export function canConfine(minAbi = 1): boolean {
  if (REQUIRE_SANDBOX) return canConfineWithoutNamespaces(minAbi);
  const facts = kernelFacts();
  return canConfineWithoutNamespaces(minAbi) && facts.userNamespaces && facts.netNamespaces;
}
