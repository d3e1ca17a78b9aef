// SAFE_SH_LANDLOCK_MAX_ABI (tests of older kernels) and the launcher flag it becomes.
import { describe, expect, it } from "vitest";
import { landlockAbiCap } from "../../../src/sandbox/abi-cap";
import { launcherArgs } from "../../../src/sandbox/linux";
import type { SandboxPlan } from "../../../src/sandbox/plan";

describe("landlockAbiCap", () => {
  it("is undefined when unset or empty", () => {
    expect(landlockAbiCap({})).toBeUndefined();
    expect(landlockAbiCap({ SAFE_SH_LANDLOCK_MAX_ABI: "" })).toBeUndefined();
  });

  it("reads 1 to 64", () => {
    expect(landlockAbiCap({ SAFE_SH_LANDLOCK_MAX_ABI: "1" })).toBe(1);
    expect(landlockAbiCap({ SAFE_SH_LANDLOCK_MAX_ABI: "64" })).toBe(64);
  });

  it.each(["0", "65", "3x", "-1", " 3"])("refuses %j (ERR_SAFESH_USAGE)", (value) => {
    expect(() => landlockAbiCap({ SAFE_SH_LANDLOCK_MAX_ABI: value })).toThrow(expect.objectContaining({ code: "ERR_SAFESH_USAGE" }));
  });
});

describe("launcherArgs with a capped ABI", () => {
  const plan = {
    readRoots: ["/"], writeRoots: ["/w"], devices: [], namespaces: false, protect: [], mask: [], sweep: [],
    network: "none", cwd: "/w", allowDegraded: false, binds: [], limits: { pids: 0, memoryMiB: 0 },
  } as unknown as SandboxPlan;

  it("passes --landlock-max-abi only when the plan has a cap", () => {
    expect(launcherArgs(plan, ["true"])).not.toContain("--landlock-max-abi");
    expect(launcherArgs({ ...plan, landlockMaxAbi: 3 }, ["true"])).toEqual([
      "--ro", "/", "--rw", "/w", "--network", "none", "--chdir", "/w", "--landlock-max-abi", "3", "--", "true",
    ]);
  });
});
