// Resource limits: a command that forks without end is stopped at the pids
// limit (EAGAIN) and one that allocates without end at the memory limit,
// while work within the limits runs. Small limits keep the tests cheap.
import { spawnSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tryBinary } from "../helpers/build";
import { canConfine } from "../helpers/gate";
import { confined, removeTempDirs, tempDir, tryConfined } from "../helpers/sandbox";

const HAS_PYTHON = spawnSync("python3", ["-c", "import os"]).status === 0;

const ALLOCATE = "import sys\nblock = bytearray(int(sys.argv[1]) * 1024 * 1024)\nprint('allocated')";

// Pids wrap to 300 in a pid namespace, so its pid_max is the limit + 300.
const PID_NAMESPACE_SLACK = 300;

describe.runIf(canConfine() && HAS_PYTHON)("resource limits", () => {
  let workspace: string;
  beforeEach(() => {
    workspace = tempDir("ws");
  });
  afterEach(removeTempDirs);

  it("lets a command start processes within the pids limit", async () => {
    expect(await tryConfined(workspace, ["fork-many", "10"], { limits: { pids: 64 } })).toMatchObject({ result: "OK", exitCode: 0 });
  });

  it("stops a command forking without end at the pids limit (EAGAIN)", async () => {
    const run = await confined(workspace, [tryBinary(), "fork-many", "2000"], { limits: { pids: 32 }, timeoutMs: 30_000 });
    const [count, result] = run.stdout.trim().split("\n");
    expect(result).toBe("EAGAIN");
    expect(run.exitCode).toBe(1);
    // A caller other than root stops at RLIMIT_NPROC; root at the pid namespace's pid_max.
    expect(Number(count)).toBeLessThan(process.getuid?.() === 0 ? 32 + PID_NAMESPACE_SLACK : 32);
  });

  it("lets a command allocate within the memory limit", async () => {
    const run = await confined(workspace, ["python3", "-c", ALLOCATE, "16"], { limits: { memoryMiB: 256 } });
    expect(run).toMatchObject({ exitCode: 0, stdout: "allocated\n" });
  });

  it("stops an allocation beyond the memory limit (MemoryError)", async () => {
    const run = await confined(workspace, ["python3", "-c", ALLOCATE, "512"], { limits: { memoryMiB: 256 } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("MemoryError");
  });
});
