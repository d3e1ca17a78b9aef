// How the limits apply, by caller, kernel and cgroup, as doctor reports them;
// the line said when a run reaches one; and the values a run accepts.
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, describeLimits, limitMessage, type CgroupProbe } from "../../../src/sandbox/limits";
import { resourceLimits } from "../../../src/sandbox/plan";

describe("describeLimits", () => {
  it.each([
    ["a user on 6.18", 1000, "6.18.4", "processes: 1024 (RLIMIT_NPROC in the sandbox's user namespace + pid_max of its pid namespace)"],
    ["root on 6.18", 0, "6.18.4", "processes: 1024 (pid_max of its pid namespace)"],
    ["a user on 6.1", 1000, "6.1.0-18-amd64", "processes: 1024 (RLIMIT_NPROC in the sandbox's user namespace)"],
    ["root on 6.1", 0, "6.1.0-18-amd64", "processes: none for root on Linux 6.1.0-18-amd64 (needs 6.14 for a per-namespace pid_max)"],
    ["a user on 5.10", 1000, "5.10.0", "processes: none on Linux 5.10.0 (RLIMIT_NPROC counts per user namespace from 5.14)"],
  ])("says how the process limit holds for %s", (_label, uid, release, line) => {
    expect(describeLimits(DEFAULT_LIMITS, undefined, uid, release)).toEqual([line, "memory: 8192 MiB of data per process (RLIMIT_DATA)"]);
  });

  it("says when a limit is off", () => {
    expect(describeLimits({ pids: 0, memoryMiB: 0 }, undefined, 1000, "6.18.4")).toEqual(["processes: no limit", "memory: no limit"]);
  });

  it("names the cgroup that holds each limit, and why the rlimit fallback applies where none does", () => {
    const cgroups: CgroupProbe = {
      pids: { version: "cgroup v2", parent: "/sys/fs/cgroup/a.scope", enable: false, why: "cgroup v2: delegated subtree /sys/fs/cgroup/a.scope" },
      memory: { version: "none", parent: "", enable: false, why: "cgroup v2: no memory controller in /sys/fs/cgroup/a.scope" },
    };
    expect(describeLimits(DEFAULT_LIMITS, cgroups, 1000, "6.18.4")).toEqual([
      "processes: 1024 for the whole run (cgroup v2: delegated subtree /sys/fs/cgroup/a.scope)",
      "memory: 8192 MiB of data per process (RLIMIT_DATA) — no cgroup: cgroup v2: no memory controller in /sys/fs/cgroup/a.scope",
    ]);
  });
});

describe("limitMessage", () => {
  it("names the limit, its value, and the config key and file that raise it", () => {
    expect(limitMessage("pids", { pids: 32, memoryMiB: 256 }, "/home/u/.config/safe-sh/config.toml")).toBe(
      "safe-sh: the command reached the process limit (32); raise [limits] pids in /home/u/.config/safe-sh/config.toml if it needs more",
    );
    expect(limitMessage("memory", { pids: 32, memoryMiB: 256 }, "/c.toml")).toBe("safe-sh: the command hit the memory limit (256 MiB) and a process of it was killed; raise [limits] memory in /c.toml if it needs more");
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
