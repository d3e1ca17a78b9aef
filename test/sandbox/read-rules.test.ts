// Read rules enforced by the kernel: deny_read paths are masked like the
// built-in credential masks; a read allowlist (Landlock read rights) leaves
// only the allowed paths, the workspace and the system directories readable.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tryBinary } from "../helpers/build";
import { canConfine } from "../helpers/gate";
import { confined, removeTempDirs, tempDir, tryConfined } from "../helpers/sandbox";

describe.runIf(canConfine(3))("read rules", () => {
  let workspace: string;
  let outside: string;
  beforeEach(() => {
    workspace = tempDir("ws");
    outside = tempDir("outside");
    fs.mkdirSync(path.join(outside, "keys"));
    fs.writeFileSync(path.join(outside, "keys", "id"), "PRIVATE");
    fs.writeFileSync(path.join(outside, "notes.txt"), "public");
    fs.writeFileSync(path.join(workspace, "mine.txt"), "mine");
  });
  afterEach(removeTempDirs);

  it("deny_read: a listed directory can be neither read nor listed (EACCES), its sibling still can", async () => {
    const denyRead = [path.join(outside, "keys")];
    expect(await tryConfined(workspace, ["read", path.join(outside, "notes.txt")], { denyRead })).toMatchObject({ result: "OK", exitCode: 0 });
    expect(await tryConfined(workspace, ["read", path.join(outside, "keys", "id")], { denyRead })).toMatchObject({ result: "EACCES", exitCode: 1 });
    const run = await confined(workspace, `ls '${path.join(outside, "keys")}'`, { denyRead });
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain("Permission denied");
  });

  it("deny_read: a listed file reads as unreadable (EACCES)", async () => {
    const denyRead = [path.join(outside, "notes.txt")];
    expect(await tryConfined(workspace, ["read", path.join(outside, "notes.txt")], { denyRead })).toMatchObject({ result: "EACCES", exitCode: 1 });
  });

  it("allowlist: bash, the workspace and an allowed path are readable", async () => {
    const run = await confined(workspace, `cat mine.txt '${path.join(outside, "notes.txt")}'`, { readAllowlist: [path.join(outside, "notes.txt")] });
    expect(run).toMatchObject({ exitCode: 0, stdout: "minepublic" });
  });

  it("allowlist: anything else is refused (EACCES, Landlock)", async () => {
    // The probe must itself be readable to run.
    const readAllowlist = [path.join(outside, "notes.txt"), path.dirname(tryBinary())];
    expect(await tryConfined(workspace, ["read", path.join(outside, "notes.txt")], { readAllowlist })).toMatchObject({ result: "OK", exitCode: 0 });
    expect(await tryConfined(workspace, ["read", path.join(outside, "keys", "id")], { readAllowlist })).toMatchObject({ result: "EACCES", exitCode: 1 });
  });
});
