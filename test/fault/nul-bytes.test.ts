// A NUL byte would cut a word short in the launcher (what was checked is not
// what runs): every library entry refuses it with a typed error, nothing runs.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SafeShell } from "../../dist/index.js";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

afterEach(removeTempDirs);

function victim(): { ws: string; file: string } {
  const ws = tempDir("nul");
  const file = path.join(ws, "protected.txt");
  fs.writeFileSync(file, "keep me\n");
  return { ws, file };
}

describe.runIf(canConfine())("NUL bytes at the library's entries", () => {
  it("run() with a clean argv deletes the file (the allowed side)", async () => {
    const { ws, file } = victim();
    const result = await new SafeShell().run(["rm", file], { workspace: ws, timeoutMs: 10_000 });
    expect(result.exitCode).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("run() refuses an argv word with a NUL and leaves the file alone", async () => {
    const { ws, file } = victim();
    await expect(new SafeShell().run(["rm\0", file], { workspace: ws })).rejects.toMatchObject({ code: "ERR_SAFESH_USAGE" });
    expect(fs.readFileSync(file, "utf8")).toBe("keep me\n");
  });

  it("start() and spawn() refuse a NUL in the script before anything starts", () => {
    const { ws, file } = victim();
    const shell = new SafeShell();
    expect(() => shell.start(`rm ${file}\0 -x`, { workspace: ws })).toThrow(expect.objectContaining({ code: "ERR_SAFESH_USAGE" }));
    expect(() => shell.spawn(["rm", `${file}\0`], { workspace: ws })).toThrow(expect.objectContaining({ code: "ERR_SAFESH_USAGE" }));
    expect(fs.existsSync(file)).toBe(true);
  });

  it.each([
    ["cwd", (ws: string) => ({ cwd: `${ws}\0/x` })],
    ["workspace", (ws: string) => ({ workspace: `${ws}\0` })],
    ["writableRoots", (ws: string) => ({ writableRoots: [`${ws}\0/sub`] })],
    ["env value", () => ({ env: { ...process.env, FOO: "a\0b" } })],
    ["env name", () => ({ env: { ...process.env, "FO\0O": "x" } })],
  ])("a NUL in %s is refused", async (what, options) => {
    const { ws } = victim();
    const rejected = new SafeShell().run(["true"], { workspace: ws, ...options(ws) });
    await expect(rejected).rejects.toMatchObject({ code: "ERR_SAFESH_USAGE", message: expect.stringMatching(/NUL byte/) });
  });
});
