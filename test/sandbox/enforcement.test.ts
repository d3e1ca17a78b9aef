// The launcher reports what it enforced over a close-on-exec pipe: run(),
// start() and spawn() carry the report; with the read-only view Landlock
// leaves truncate and the read rights to the mounts, and without namespaces
// (degraded) it keeps every right and metadata changes are Landlock-free.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafeShell } from "../../dist/index.js";
import { canConfine, kernelFacts } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";
import { tryBinary } from "../helpers/build";

/** Runs the launcher directly with a report pipe on fd 3; returns the status and the report line. */
function launchWithReport(args: string[]) {
  const run = spawnSync(kernelFacts().launcherPath!, ["--report-fd", "3", ...args], { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "pipe", "pipe"] });
  const report = String(run.output[3] ?? "");
  return { status: run.status, stdout: run.stdout, report: report ? JSON.parse(report) : undefined };
}

describe.runIf(canConfine(3))("the launcher's enforcement report", () => {
  let workspace: string;
  let outside: string;
  beforeEach(() => {
    workspace = tempDir("ws");
    outside = tempDir("outside");
    fs.writeFileSync(path.join(outside, "file"), "original");
  });
  afterEach(removeTempDirs);

  it("comes with run()'s result: namespaces, read-only view, seccomp and the Landlock rights handled", async () => {
    const result = await new SafeShell().run("true", { workspace });
    expect(result.exitCode).toBe(0);
    expect(result.enforced).toMatchObject({
      seccomp: true,
      noNewPrivs: true,
      capabilitiesDropped: true,
      namespaces: ["user", "mount", "pid", "net"],
      readOnlyView: true,
      privateTmp: true,
      missing: [],
    });
    expect(result.enforced!.masked).toBeGreaterThan(0);
    const landlock = result.enforced!.landlock!;
    expect(landlock.abi).toBe(kernelFacts().landlockAbi);
    // Writes to devices and the fresh /proc stay Landlock's; truncate and reads are the mounts'.
    expect(landlock.fs).toContain("write_file");
    expect(landlock.fs).not.toContain("truncate");
    expect(landlock.fs).not.toContain("read_file");
    // Its own network namespace holds only its lo: TCP there is left to the namespace.
    expect(landlock.net).toEqual([]);
  });

  it("settles start()'s `enforced` at exec, before the command ends", async () => {
    const run = new SafeShell().start(["sleep", "5"], { workspace });
    const report = await run.enforced;
    expect(report?.readOnlyView).toBe(true);
    expect(run.kill("SIGKILL")).toBe(true);
    expect(await run.closed).toMatchObject({ signal: "SIGKILL" });
  });

  it("settles spawn()'s `enforced` with the report, stdio left as asked", async () => {
    const child = new SafeShell().spawn(["echo", "hi"], { workspace });
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const report = await child.enforced;
    await new Promise((resolve) => child.once("close", resolve));
    expect(out).toBe("hi\n");
    expect(report?.namespaces).toContain("mount");
  });

  it("is absent when the launcher ends before exec (a missing program: 127)", async () => {
    const result = await new SafeShell().run(["safe-sh-no-such-program"], { workspace });
    expect(result.exitCode).toBe(127);
    expect(result.enforced).toBeUndefined();
  });

  it("without namespaces (degraded): the full Landlock ruleset, no read-only view", () => {
    const run = launchWithReport(["--ro", "/", "--rw", workspace, "--dev", "/dev/null", "--", "true"]);
    expect(run.status).toBe(0);
    expect(run.report).toMatchObject({ readOnlyView: false, namespaces: [], seccomp: true });
    expect(run.report.landlock.fs).toEqual(expect.arrayContaining(["truncate", "read_file", "write_file", "execute"]));
    expect(run.report.missing.join(" ")).toContain("mode, owner, times, xattrs and ACLs there can be changed");
  });

  it("without namespaces Landlock still refuses truncate outside (EACCES), while metadata is not confined", () => {
    const victim = path.join(outside, "file");
    const args = ["--ro", "/", "--rw", workspace, "--dev", "/dev/null", "--", tryBinary()];
    fs.writeFileSync(path.join(workspace, "mine"), "mine");
    expect(launchWithReport([...args, "truncate", path.join(workspace, "mine")]).stdout.trim()).toBe("OK");
    expect(launchWithReport([...args, "truncate", victim]).stdout.trim()).toBe("EACCES");
    expect(fs.readFileSync(victim, "utf8")).toBe("original");
    // The gap degraded mode names: Landlock has no right for metadata.
    expect(launchWithReport([...args, "utimes", victim]).stdout.trim()).toBe("OK");
  });

  it("with namespaces, the launcher's own view refuses the same metadata change (EROFS)", () => {
    const victim = path.join(outside, "file");
    const before = fs.statSync(victim).mtimeMs;
    const run = launchWithReport(["--ro", "/", "--rw", workspace, "--dev", "/dev/null", "--namespaces", "--", tryBinary(), "utimes", victim]);
    expect(run.stdout.trim()).toBe("EROFS");
    expect(run.report.readOnlyView).toBe(true);
    expect(fs.statSync(victim).mtimeMs).toBe(before);
  });
});
