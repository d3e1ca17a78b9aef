// Output floods: run() keeps at most maxBuffer bytes per stream, says how much it left out,
// and always settles, even past the 512 MiB where a string can't grow.
import { afterEach, describe, expect, it } from "vitest";
import { SafeShell } from "../../dist/index.js";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

afterEach(removeTempDirs);
const MiB = 1024 * 1024;

describe.runIf(canConfine())("run() output cap", () => {
  it("output under the cap is returned whole, not marked truncated", async () => {
    const result = await new SafeShell().run("head -c 1000 /dev/zero | tr '\\0' a; echo err >&2", { workspace: tempDir("flood"), maxBuffer: 1000 });
    expect(result.stdout).toBe("a".repeat(1000));
    expect(result.stderr).toBe("err\n");
    expect(result.truncated).toEqual({ stdout: false, stderr: false });
    expect(result.droppedBytes).toEqual({ stdout: 0, stderr: 0 });
  });

  it("output past maxBuffer is cut at it and reported; the command still finishes with its status", async () => {
    const result = await new SafeShell().run("head -c 5000000 /dev/zero | tr '\\0' b >&2; exit 3", { workspace: tempDir("flood"), maxBuffer: 1001 });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe("b".repeat(1001));
    expect(result.truncated).toEqual({ stdout: false, stderr: true });
    expect(result.droppedBytes).toEqual({ stdout: 0, stderr: 5000000 - 1001 });
  });

  it("600 MiB of output settles with the default 16 MiB kept", async () => {
    const result = await new SafeShell().run(["head", "-c", String(600 * MiB), "/dev/zero"], { workspace: tempDir("flood"), timeoutMs: 110_000 });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBe(16 * MiB);
    expect(result.truncated.stdout).toBe(true);
  }, 120_000);

  it("a maxBuffer that is not a byte count is a typed error", async () => {
    await expect(new SafeShell().run("true", { workspace: tempDir("flood"), maxBuffer: -1 })).rejects.toMatchObject({ code: "ERR_SAFESH_USAGE" });
  });
});

describe.runIf(canConfine())("run() timeouts", () => {
  it.each([0, -5, Number.NaN])("timeoutMs %s is a typed error, not an instant kill", async (timeoutMs) => {
    await expect(new SafeShell().run("true", { workspace: tempDir("timeout"), timeoutMs })).rejects.toMatchObject({ code: "ERR_SAFESH_USAGE" });
  });

  it("a timeout of 2^31 ms or more does not kill the command (the other side: 200 ms does)", async () => {
    const long = await new SafeShell().run("sleep 0.3; echo done", { workspace: tempDir("timeout"), timeoutMs: 2 ** 31 + 1 });
    expect(long).toMatchObject({ timedOut: false, exitCode: 0, stdout: "done\n" });
    const short = await new SafeShell().run("sleep 5; echo done", { workspace: tempDir("timeout"), timeoutMs: 200 });
    expect(short).toMatchObject({ timedOut: true, stdout: "" });
  });
});
