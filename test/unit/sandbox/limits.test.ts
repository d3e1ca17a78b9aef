// How the limits apply, by caller and kernel, as doctor reports them; and
// the values a run accepts.
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, describeLimits } from "../../../src/sandbox/limits";
import { resourceLimits } from "../../../src/sandbox/plan";

describe("describeLimits", () => {
  it.each([
    ["a user on 6.18", 1000, "6.18.4", "processes: 1024 (RLIMIT_NPROC in the sandbox's user namespace + pid_max of its pid namespace)"],
    ["root on 6.18", 0, "6.18.4", "processes: 1024 (pid_max of its pid namespace)"],
    ["a user on 6.1", 1000, "6.1.0-18-amd64", "processes: 1024 (RLIMIT_NPROC in the sandbox's user namespace)"],
    ["root on 6.1", 0, "6.1.0-18-amd64", "processes: none for root on Linux 6.1.0-18-amd64 (needs 6.14 for a per-namespace pid_max)"],
    ["a user on 5.10", 1000, "5.10.0", "processes: none on Linux 5.10.0 (RLIMIT_NPROC counts per user namespace from 5.14)"],
  ])("says how the process limit holds for %s", (_label, uid, release, line) => {
    expect(describeLimits(DEFAULT_LIMITS, uid, release)).toEqual([line, "memory: 8192 MiB of data per process (RLIMIT_DATA)"]);
  });

  it("says when a limit is off", () => {
    expect(describeLimits({ pids: 0, memoryMiB: 0 }, 1000, "6.18.4")).toEqual(["processes: no limit", "memory: no limit"]);
  });
});

describe("resourceLimits", () => {
  it("fills in the defaults and keeps 0 as off", () => {
    expect(resourceLimits({ memoryMiB: 0 })).toEqual({ pids: 1024, memoryMiB: 0 });
  });

  it.each([[{ pids: -1 }], [{ pids: 1.5 }], [{ memoryMiB: 5_000_000 }]])("refuses %j with ERR_SAFESH_USAGE", (given) => {
    expect(() => resourceLimits(given)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_USAGE" }));
  });
});
