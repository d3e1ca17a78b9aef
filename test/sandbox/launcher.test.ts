// safe-sh-exec refuses a bad plan before anything runs: exit 125 for a bad
// flag or missing path, 126 for a plan this kernel can't enforce, 127 for a
// missing program, one stderr line naming it.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canConfine, kernelFacts } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

function launch(args: string[]) {
  const run = spawnSync(kernelFacts().launcherPath!, args, { encoding: "utf8", timeout: 10_000 });
  return { status: run.status, stdout: run.stdout, stderrLines: run.stderr.split("\n").filter((line) => line !== "") };
}

describe.runIf(canConfine())("the launcher", () => {
  let workspace: string;
  let marker: string;
  beforeEach(() => {
    workspace = tempDir("ws");
    marker = path.join(workspace, "ran");
  });
  afterEach(removeTempDirs);

  it("runs a valid plan (the marker command itself works)", () => {
    expect(launch(["--ro", "/", "--rw", workspace, "--", "touch", marker]).status).toBe(0);
    expect(fs.existsSync(marker)).toBe(true);
  });

  it("exits 125 on an unknown flag, names it on one line, and runs nothing", () => {
    const run = launch(["--bogus-flag", "--ro", "/", "--rw", workspace, "--", "touch", marker]);
    expect(run.status).toBe(125);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toContain("--bogus-flag");
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("exits 126 (refused, as the CLI refuses) when Landlock is below --landlock-min-abi, and runs nothing; --allow-degraded runs it", () => {
    const below = ["--landlock-max-abi", "1", "--landlock-min-abi", "2", "--ro", "/", "--rw", workspace];
    const run = launch([...below, "--", "touch", marker]);
    expect(run.status).toBe(126);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toContain("--allow-degraded");
    expect(fs.existsSync(marker)).toBe(false);
    expect(launch([...below, "--allow-degraded", "--", "touch", marker]).status).toBe(0);
    expect(fs.existsSync(marker)).toBe(true);
  });

  it("exits 125 on a bad flag value, names the flag, and runs nothing", () => {
    const run = launch(["--network", "sideways", "--ro", "/", "--rw", workspace, "--", "touch", marker]);
    expect(run.status).toBe(125);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toContain("--network");
    expect(fs.existsSync(marker)).toBe(false);
  });

  it.each([
    ["--landlock-min-abi", ""],
    ["--landlock-min-abi", "7x"],
    ["--landlock-max-abi", "0"],
    ["--landlock-max-abi", "65"],
    ["--proxy-port", "0"],
    ["--proxy-port", "65536"],
  ])("exits 125 on %s %j, names the flag, and runs nothing", (flag, value) => {
    const run = launch([flag, value, "--ro", "/", "--rw", workspace, "--", "touch", marker]);
    expect(run.status).toBe(125);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toContain(flag);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("exits 125 on a missing path, names it on one line, and runs nothing", () => {
    const missing = path.join(workspace, "no-such-dir");
    const run = launch(["--ro", "/", "--rw", workspace, "--rw", missing, "--", "touch", marker]);
    expect(run.status).toBe(125);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toContain(missing);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it.each(["/proc", "/proc/sys", "/sys", "/dev"].filter((dir) => fs.existsSync(dir)))("refuses --rw %s, a pseudo-filesystem: 125, one line, nothing runs", (dir) => {
    const run = launch(["--ro", "/", "--rw", workspace, "--rw", dir, "--", "touch", marker]);
    expect(run.status).toBe(125);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toMatch(new RegExp(`--rw .*${dir}.*pseudo-filesystem`));
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("accepts --dev on a character device and refuses it on a regular file (ENODEV)", () => {
    expect(launch(["--ro", "/", "--rw", workspace, "--dev", "/dev/null", "--", "touch", marker]).status).toBe(0);
    fs.rmSync(marker);
    const file = path.join(workspace, "not-a-device");
    fs.writeFileSync(file, "");
    const run = launch(["--ro", "/", "--rw", workspace, "--dev", file, "--", "touch", marker]);
    expect(run.status).toBe(125);
    expect(run.stderrLines).toEqual([expect.stringMatching(/--dev .*not-a-device.*ENODEV/)]);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("exits 125 on a missing --chdir directory and runs nothing", () => {
    const missing = path.join(workspace, "no-such-dir");
    const run = launch(["--ro", "/", "--rw", workspace, "--chdir", missing, "--", "touch", marker]);
    expect(run.status).toBe(125);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toContain(missing);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("exits 127 on a missing program and names it on one line", () => {
    const run = launch(["--ro", "/", "--rw", workspace, "--", "safe-sh-no-such-program"]);
    expect(run.status).toBe(127);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toContain("safe-sh-no-such-program");
  });

  it("exits 125 when no program is given", () => {
    const run = launch(["--ro", "/", "--rw", workspace]);
    expect(run.status).toBe(125);
    expect(run.stderrLines).toHaveLength(1);
  });

  it("refuses a Seatbelt profile (exit 125, runs nothing): Linux confines otherwise", () => {
    const run = launch(["--ro", "/", "--rw", workspace, "--seatbelt-profile", "(version 1)(allow default)", "--", "touch", marker]);
    expect(run.status).toBe(125);
    expect(run.stderrLines).toEqual([expect.stringContaining("--seatbelt-profile")]);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("exits 125 on a --seatbelt-param that is not NAME=/absolute/path", () => {
    const run = launch(["--ro", "/", "--rw", workspace, "--seatbelt-param", "ROOT=relative", "--", "touch", marker]);
    expect(run.status).toBe(125);
    expect(run.stderrLines).toEqual([expect.stringContaining("--seatbelt-param ROOT=relative")]);
  });

  it("prints its help and version and exits 0", () => {
    expect(launch(["--help"])).toMatchObject({ status: 0, stdout: expect.stringContaining("--network") });
    expect(launch(["--version"])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^safe-sh-exec \S+\n$/) });
  });
});
