// Resource limits: work within the limits runs; a fork bomb stops at the pids
// limit and an allocation beyond the memory limit fails, the host unaffected.
// With a run cgroup (as root on a host with writable v1 controllers, or in a
// delegated v2 subtree) the run also says which limit it reached; with only
// rlimits it cannot tell (docs/limits.md). Small limits keep the tests cheap.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafeShell } from "../../dist/index.js";
import type { CgroupProbe } from "../../src/sandbox/limits";
import { tryBinary } from "../helpers/build";
import { canConfine, kernelFacts } from "../helpers/gate";
import { confined, removeTempDirs, tempDir, tryConfined } from "../helpers/sandbox";
import { waitFor } from "../helpers/wait";

const HAS_PYTHON = spawnSync("python3", ["-c", "import os"]).status === 0;

const ALLOCATE = "import sys\nblock = bytearray(int(sys.argv[1]) * 1024 * 1024)\nprint('allocated')";

// Forks until the kernel refuses (or argv[1] children), says how many, then
// holds them until the file argv[2] appears (at most 20 s).
const FORK_AND_HOLD = `import os, sys, time
kids = 0
try:
    while kids < int(sys.argv[1]):
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        kids += 1
    print("all", kids, flush=True)
except BlockingIOError:
    print("EAGAIN", kids, flush=True)
for _ in range(200):
    if os.path.exists(sys.argv[2]):
        break
    time.sleep(0.1)
`;

// Pids wrap to 300 in a pid namespace, so its pid_max is the limit + 300.
const PID_NAMESPACE_SLACK = 300;

/** Where the launcher puts each limit for this process (its --probe-limits). */
function cgroupProbe(): CgroupProbe | undefined {
  const launcher = kernelFacts().launcherPath;
  if (!launcher) return undefined;
  return JSON.parse(spawnSync(launcher, ["--probe-limits"], { encoding: "utf8" }).stdout) as CgroupProbe;
}

const CGROUPS = canConfine() ? cgroupProbe() : undefined;
const PIDS_CGROUP = CGROUPS !== undefined && CGROUPS.pids.version !== "none";
const MEMORY_CGROUP = CGROUPS !== undefined && CGROUPS.memory.version !== "none";
const ROOT = process.getuid?.() === 0;

/** Processes whose cgroup is the run cgroup of launcher `pid` (none once the run is over). */
function inRunCgroup(pid: number): string[] {
  const name = `/safe-sh-${pid}`;
  return fs.readdirSync("/proc").filter((entry) => {
    try {
      return /^\d+$/.test(entry) && fs.readFileSync(`/proc/${entry}/cgroup`, "utf8").includes(`${name}\n`);
    } catch {
      return false; // gone meanwhile
    }
  });
}

describe.runIf(canConfine() && HAS_PYTHON)("resource limits", () => {
  let workspace: string;
  beforeEach(() => {
    workspace = tempDir("ws");
  });
  afterEach(removeTempDirs);

  it("lets a command start processes within the pids limit", async () => {
    expect(await tryConfined(workspace, ["fork-many", "10"], { limits: { pids: 64 } })).toMatchObject({ result: "OK", exitCode: 0 });
  });

  it("lets a command allocate within the memory limit, and says no limit was reached", async () => {
    const run = await confined(workspace, ["python3", "-c", ALLOCATE, "16"], { limits: { memoryMiB: 256 } });
    expect(run).toMatchObject({ exitCode: 0, stdout: "allocated\n" });
    expect(run.limitsReached).toBeUndefined();
  });

  // CI runs this file once more inside a delegated systemd scope (.ci/run),
  // where anything but cgroup v2 would be a discovery bug, not a skip.
  const expected = process.env.SAFE_SH_EXPECT_CGROUP;
  it.runIf(expected !== undefined)("holds both limits in the cgroup version CI set up (SAFE_SH_EXPECT_CGROUP)", () => {
    expect({ pids: CGROUPS?.pids.version, memory: CGROUPS?.memory.version }).toEqual({ pids: expected, memory: expected });
  });

  it("reports the mechanism the launcher's probe names for each limit", async () => {
    const run = await confined(workspace, ["true"], { limits: { pids: 64, memoryMiB: 256 } });
    expect(run.enforced?.limits).toEqual({
      pids: PIDS_CGROUP ? CGROUPS!.pids.version : ROOT ? "pid_max" : "RLIMIT_NPROC",
      memory: MEMORY_CGROUP ? CGROUPS!.memory.version : "RLIMIT_DATA",
    });
  });

  describe.runIf(PIDS_CGROUP)("with a run cgroup for pids", () => {
    it("stops a fork bomb at the limit, says so, leaves the host able to spawn and no process behind", async () => {
      const release = path.join(workspace, "release");
      const shell = new SafeShell();
      const lines: string[] = [];
      const run = shell.start(["python3", "-c", FORK_AND_HOLD, "2000", release], {
        workspace,
        limits: { pids: 32, memoryMiB: 0 },
        onData: (stream, chunk) => stream === "stdout" && lines.push(chunk.toString()),
      });
      try {
        await waitFor("the bomb's count", () => (lines.join("").includes("\n") ? true : undefined), 20_000);
        const [result, count] = lines.join("").trim().split(" ");
        expect(result).toBe("EAGAIN");
        // The cgroup holds init, the command and its children: fewer than 32 children.
        expect(Number(count)).toBeLessThan(32);
        expect(Number(count)).toBeGreaterThan(20);
        // The host still spawns while the sandbox is full.
        expect(spawnSync("true").status).toBe(0);
        expect(inRunCgroup(run.pid).length).toBeGreaterThan(20);
      } finally {
        fs.writeFileSync(release, "");
      }
      expect(await run.closed).toMatchObject({ exitCode: 0 });
      expect(await run.limitsReached).toEqual(["pids"]);
      expect(inRunCgroup(run.pid)).toEqual([]);
      expect(fs.existsSync(path.join(CGROUPS!.pids.parent, `safe-sh-${run.pid}`))).toBe(false);
      expect(spawnSync("true").status).toBe(0);
    });

    it("lets the command read its cgroup's limit but neither raise it nor leave the cgroup (EROFS)", async () => {
      // The run cgroup's directory as the command sees it: v1 pids line, else the v2 path.
      const script = `v1=$(sed -n 's/^[0-9]*:pids://p' /proc/self/cgroup); v2=$(sed -n 's/^0:://p' /proc/self/cgroup)
        for d in /sys/fs/cgroup/pids$v1 /sys/fs/cgroup$v2 /sys/fs/cgroup/unified$v2; do [ -f "$d/pids.max" ] && break; done
        cat "$d/pids.max"; "$0" write "$d/pids.max"; "$0" write "$(dirname "$d")/cgroup.procs"`;
      const run = await confined(workspace, ["bash", "-c", script, tryBinary()], { limits: { pids: 32 } });
      expect(run.stdout.trim().split("\n")).toEqual(["32", "EROFS", "EROFS"]);
    });

    it("removes a run cgroup a killed launcher left behind, and keeps one whose launcher lives", async () => {
      // No pid reaches 4194304 (the kernel's PID_MAX_LIMIT); the test runner's own pid is alive.
      const stale = path.join(CGROUPS!.pids.parent, "safe-sh-4194304");
      const live = path.join(CGROUPS!.pids.parent, `safe-sh-${process.pid}`);
      fs.mkdirSync(stale);
      fs.mkdirSync(live);
      try {
        await confined(workspace, ["true"], { limits: { pids: 32 } });
        expect(fs.existsSync(stale)).toBe(false);
        expect(fs.existsSync(live)).toBe(true);
      } finally {
        for (const dir of [stale, live]) if (fs.existsSync(dir)) fs.rmdirSync(dir);
      }
    });

    it("says nothing was reached when the command stays under the limit", async () => {
      const run = await confined(workspace, [tryBinary(), "fork-many", "10"], { limits: { pids: 32 } });
      expect(run.stdout.trim().split("\n").at(-1)).toBe("OK");
      expect(run.limitsReached).toBeUndefined();
    });
  });

  describe.runIf(MEMORY_CGROUP)("with a run cgroup for memory", () => {
    it("kills an allocation beyond the memory limit of the whole run, and says so", async () => {
      const run = await confined(workspace, ["python3", "-c", ALLOCATE, "512"], { limits: { memoryMiB: 256 } });
      expect(run).toMatchObject({ exitCode: null, signal: "SIGKILL", stdout: "" });
      expect(run.limitsReached).toEqual(["memory"]);
    });

    it("counts the whole run, not each process: two processes of 160 MiB reach a 256 MiB limit", async () => {
      const hold = "import sys, time; block = bytearray(int(sys.argv[1]) * 1024 * 1024); time.sleep(3)";
      const run = await confined(workspace, `python3 -c "${hold}" 160 & python3 -c "${hold}" 160 & wait`, { limits: { memoryMiB: 256 } });
      expect(run.limitsReached).toEqual(["memory"]);
    });
  });

  describe.runIf(!PIDS_CGROUP)("with RLIMIT_NPROC or pid_max (no run cgroup)", () => {
    it("stops a command forking without end at the pids limit (EAGAIN), unannounced", async () => {
      const run = await confined(workspace, [tryBinary(), "fork-many", "2000"], { limits: { pids: 32 }, timeoutMs: 30_000 });
      const [count, result] = run.stdout.trim().split("\n");
      expect(result).toBe("EAGAIN");
      expect(run.exitCode).toBe(1);
      // A caller other than root stops at RLIMIT_NPROC; root at the pid namespace's pid_max.
      expect(Number(count)).toBeLessThan(ROOT ? 32 + PID_NAMESPACE_SLACK : 32);
      expect(run.limitsReached).toBeUndefined();
    });
  });

  describe.runIf(!MEMORY_CGROUP)("with RLIMIT_DATA (no run cgroup)", () => {
    it("stops an allocation beyond the memory limit (MemoryError), unannounced", async () => {
      const run = await confined(workspace, ["python3", "-c", ALLOCATE, "512"], { limits: { memoryMiB: 256 } });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain("MemoryError");
      expect(run.limitsReached).toBeUndefined();
    });
  });
});
