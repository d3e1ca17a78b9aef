// What each Landlock ABI adds, checked on this kernel (or at the ABI forced by
// SAFE_SH_LANDLOCK_MAX_ABI): where the ABI has the right, Landlock refuses;
// where it lacks it, the escape is shown to work without the other layers and
// the layer that covers it (the pid namespace) is shown to refuse it. ABI 4's
// TCP rules and ABI 6's abstract-socket scope sit behind seccomp's socket(2)
// refusal at every ABI (network.test.ts); ABI 5's device ioctl right has no
// escape to show with the default devices.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tryBinary } from "../helpers/build";
import { abiCapFlags, canConfine, kernelFacts } from "../helpers/gate";
import { isGone, removeTempDirs, tempDir, tryConfined } from "../helpers/sandbox";

const abi = (): number => kernelFacts().landlockAbi;

/** The launcher alone (no namespaces): Landlock and seccomp are the only layers. */
function launch(workspace: string, args: string[]): { result: string; exitCode: number | null } {
  const argv = [...abiCapFlags(), "--ro", "/", "--rw", workspace, "--", tryBinary(), ...args];
  const run = spawnSync(kernelFacts().launcherPath!, argv, { encoding: "utf8", timeout: 10_000 });
  return { result: run.stdout.trim(), exitCode: run.status };
}

describe.runIf(canConfine())("Landlock ABI layers on this kernel", () => {
  let workspace: string;
  beforeEach(() => {
    workspace = tempDir("abi");
    fs.mkdirSync(path.join(workspace, "a"));
    fs.mkdirSync(path.join(workspace, "b"));
    fs.writeFileSync(path.join(workspace, "a", "f"), "x");
  });
  afterEach(removeTempDirs);

  describe("ABI 2 (refer): moving a file between directories of the workspace", () => {
    it.runIf(abi() >= 2)("works (OK)", async () => {
      expect(await tryConfined(workspace, ["rename", path.join(workspace, "a", "f"), path.join(workspace, "b", "f")])).toMatchObject({ result: "OK", exitCode: 0 });
    });
    it.runIf(abi() === 1)("is always refused on ABI 1 (EXDEV)", async () => {
      expect(await tryConfined(workspace, ["rename", path.join(workspace, "a", "f"), path.join(workspace, "b", "f")])).toMatchObject({ result: "EXDEV", exitCode: 1 });
    });
  });

  describe("ABI 3 (truncate)", () => {
    it("truncates a file in the workspace (OK)", async () => {
      expect(await tryConfined(workspace, ["truncate", path.join(workspace, "a", "f")])).toMatchObject({ result: "OK", exitCode: 0 });
    });
    it.runIf(abi() >= 3)("refuses truncating a file outside the writable roots: Landlock alone (EACCES); with namespaces the read-only view (EROFS)", async () => {
      const outside = tempDir("abi-outside");
      fs.writeFileSync(path.join(outside, "g"), "keep");
      expect(launch(workspace, ["truncate", path.join(outside, "g")])).toMatchObject({ result: "EACCES", exitCode: 1 });
      expect(await tryConfined(workspace, ["truncate", path.join(outside, "g")])).toMatchObject({ result: "EROFS", exitCode: 1 });
      expect(fs.readFileSync(path.join(outside, "g"), "utf8")).toBe("keep");
    });
    it.runIf(abi() < 3)("below ABI 3 Landlock can't refuse truncate; the read-only view does (EROFS)", async () => {
      const outside = tempDir("abi-outside");
      fs.writeFileSync(path.join(outside, "g"), "keep");
      expect(await tryConfined(workspace, ["truncate", path.join(outside, "g")])).toMatchObject({ result: "EROFS", exitCode: 1 });
      expect(fs.readFileSync(path.join(outside, "g"), "utf8")).toBe("keep");
    });
  });

  describe("ABI 6 (signal scope): signalling a process outside the sandbox", () => {
    let victim: ChildProcess;
    beforeEach(() => {
      victim = spawn("sleep", ["300"], { stdio: "ignore" });
    });
    afterEach(() => {
      if (victim.exitCode === null && victim.signalCode === null) victim.kill("SIGKILL");
    });

    it.runIf(abi() >= 6)("is refused by Landlock alone (EPERM)", () => {
      expect(launch(workspace, ["kill", String(victim.pid), "0"])).toEqual({ result: "EPERM", exitCode: 1 });
    });
    it.runIf(abi() < 6)("is not stopped by Landlock alone below ABI 6 (OK: signal 0 reaches it)", () => {
      expect(launch(workspace, ["kill", String(victim.pid), "0"])).toEqual({ result: "OK", exitCode: 0 });
    });
    it("is refused by the pid namespace on every ABI (ESRCH)", async () => {
      expect(await tryConfined(workspace, ["kill", String(victim.pid), "15"])).toMatchObject({ result: "ESRCH", exitCode: 1 });
      expect(isGone(victim.pid!)).toBe(false);
    });
  });
});
