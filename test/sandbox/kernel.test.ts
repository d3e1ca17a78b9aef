// What the confinement suite needs from this machine. With SAFE_SH_REQUIRE_SANDBOX=1
// (CI) a missing feature fails here by name instead of skipping tests elsewhere.
import { describe, expect, it } from "vitest";
import { REQUIRE_SANDBOX, kernelFacts } from "../helpers/gate";

// The basics: Landlock of any ABI. What each newer ABI adds is tested, per
// ABI, in landlock-abi.test.ts; rights the kernel lacks are skipped there.
const MIN_ABI = 1;

describe.runIf(REQUIRE_SANDBOX)("a machine that must confine (SAFE_SH_REQUIRE_SANDBOX=1)", () => {
  it("runs Linux", () => {
    expect(process.platform).toBe("linux");
  });

  it("has the launcher built", () => {
    expect(kernelFacts().launcherPath, kernelFacts().reasons.join("; ")).not.toBeNull();
  });

  it("has seccomp", () => {
    expect(kernelFacts().seccomp, kernelFacts().reasons.join("; ")).toBe(true);
  });

  it("has unprivileged user and network namespaces (SafeShell's default plan needs them)", () => {
    expect(kernelFacts().userNamespaces, kernelFacts().reasons.join("; ")).toBe(true);
    expect(kernelFacts().netNamespaces, kernelFacts().reasons.join("; ")).toBe(true);
  });

  it(`has Landlock ABI >= ${MIN_ABI}`, () => {
    expect(kernelFacts().landlockAbi, kernelFacts().reasons.join("; ")).toBeGreaterThanOrEqual(MIN_ABI);
  });
});
