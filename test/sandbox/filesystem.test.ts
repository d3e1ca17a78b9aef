// Writes are confined to the workspace: each escape fails with its errno and
// leaves the outside untouched; the same operation inside succeeds. The
// default plan runs in namespaces, where everything outside the writable
// roots is a read-only mount; launcher.test.ts covers Landlock alone.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir, tryConfined } from "../helpers/sandbox";

// The read-only mount view refuses writes outside every writable root with
// EROFS, before Landlock is asked. Each writable root is a mount of its own,
// so a hard link or rename across its edge is EXDEV (Landlock's REFER right
// would refuse the link with EXDEV too).
const DENIED = "EROFS";
const CROSS_MOUNT = "EXDEV";

describe.runIf(canConfine(3))("writing outside the workspace", () => {
  let workspace: string;
  let outside: string;
  let victim: string;

  beforeEach(() => {
    workspace = tempDir("ws");
    outside = tempDir("outside");
    victim = path.join(outside, "victim.txt");
    fs.writeFileSync(victim, "original");
    fs.writeFileSync(path.join(workspace, "mine.txt"), "mine");
  });
  afterEach(removeTempDirs);

  it("writes to a workspace file", async () => {
    expect(await tryConfined(workspace, ["write", path.join(workspace, "mine.txt")])).toMatchObject({ result: "OK", exitCode: 0 });
    expect(fs.readFileSync(path.join(workspace, "mine.txt"), "utf8")).toBe("minex");
  });

  it("is refused writing to an outside file directly (EROFS)", async () => {
    expect(await tryConfined(workspace, ["write", victim])).toMatchObject({ result: DENIED, exitCode: 1 });
    expect(fs.readFileSync(victim, "utf8")).toBe("original");
  });

  it("creates a new file in the workspace", async () => {
    expect(await tryConfined(workspace, ["create", path.join(workspace, "new.txt")])).toMatchObject({ result: "OK", exitCode: 0 });
    expect(fs.existsSync(path.join(workspace, "new.txt"))).toBe(true);
  });

  it("is refused creating a new file outside (EROFS)", async () => {
    expect(await tryConfined(workspace, ["create", path.join(outside, "new.txt")])).toMatchObject({ result: DENIED, exitCode: 1 });
    expect(fs.existsSync(path.join(outside, "new.txt"))).toBe(false);
  });

  it("writes through a workspace symlink that points inside the workspace", async () => {
    fs.symlinkSync(path.join(workspace, "mine.txt"), path.join(workspace, "link"));
    expect(await tryConfined(workspace, ["write", path.join(workspace, "link")])).toMatchObject({ result: "OK", exitCode: 0 });
    expect(fs.readFileSync(path.join(workspace, "mine.txt"), "utf8")).toBe("minex");
  });

  it("is refused writing through a workspace symlink that points outside (EROFS)", async () => {
    fs.symlinkSync(victim, path.join(workspace, "link"));
    expect(await tryConfined(workspace, ["write", path.join(workspace, "link")])).toMatchObject({ result: DENIED, exitCode: 1 });
    expect(fs.readFileSync(victim, "utf8")).toBe("original");
  });

  it("is refused creating a file through a workspace symlink to an outside directory (EROFS)", async () => {
    fs.symlinkSync(outside, path.join(workspace, "door"));
    expect(await tryConfined(workspace, ["create", path.join(workspace, "door", "planted")])).toMatchObject({ result: DENIED, exitCode: 1 });
    expect(fs.existsSync(path.join(outside, "planted"))).toBe(false);
  });

  it("hard-links a workspace file to another workspace name", async () => {
    expect(await tryConfined(workspace, ["link", path.join(workspace, "mine.txt"), path.join(workspace, "again")])).toMatchObject({ result: "OK", exitCode: 0 });
    expect(fs.statSync(path.join(workspace, "again")).nlink).toBe(2);
  });

  it("hard-links a file to another name inside an extra writable root", async () => {
    expect(await tryConfined(workspace, ["link", victim, path.join(outside, "again")], { writableRoots: [outside] })).toMatchObject({ result: "OK", exitCode: 0 });
    expect(fs.statSync(victim).nlink).toBe(2);
  });

  it(`is refused hard-linking an outside file into the workspace (${CROSS_MOUNT})`, async () => {
    expect(await tryConfined(workspace, ["link", victim, path.join(workspace, "stolen")])).toMatchObject({ result: CROSS_MOUNT, exitCode: 1 });
    expect(fs.existsSync(path.join(workspace, "stolen"))).toBe(false);
    expect(fs.statSync(victim).nlink).toBe(1);
  });

  it("renames a file within the workspace", async () => {
    expect(await tryConfined(workspace, ["rename", path.join(workspace, "mine.txt"), path.join(workspace, "moved.txt")])).toMatchObject({ result: "OK", exitCode: 0 });
    expect(fs.readFileSync(path.join(workspace, "moved.txt"), "utf8")).toBe("mine");
  });

  it(`is refused renaming a workspace file to outside (${CROSS_MOUNT})`, async () => {
    expect(await tryConfined(workspace, ["rename", path.join(workspace, "mine.txt"), path.join(outside, "moved.txt")])).toMatchObject({ result: CROSS_MOUNT, exitCode: 1 });
    expect(fs.existsSync(path.join(outside, "moved.txt"))).toBe(false);
    expect(fs.existsSync(path.join(workspace, "mine.txt"))).toBe(true);
  });

  it(`is refused renaming an outside file into the workspace (${CROSS_MOUNT})`, async () => {
    expect(await tryConfined(workspace, ["rename", victim, path.join(workspace, "stolen")])).toMatchObject({ result: CROSS_MOUNT, exitCode: 1 });
    expect(fs.readFileSync(victim, "utf8")).toBe("original");
  });

  it("truncates a workspace file", async () => {
    expect(await tryConfined(workspace, ["truncate", path.join(workspace, "mine.txt")])).toMatchObject({ result: "OK", exitCode: 0 });
    expect(fs.statSync(path.join(workspace, "mine.txt")).size).toBe(0);
  });

  it("is refused truncating an outside file (EACCES, Landlock ABI >= 3)", async () => {
    expect(await tryConfined(workspace, ["truncate", victim])).toMatchObject({ result: DENIED, exitCode: 1 });
    expect(fs.readFileSync(victim, "utf8")).toBe("original");
  });

  it("makes a directory in the workspace", async () => {
    expect(await tryConfined(workspace, ["mkdir", path.join(workspace, "dir")])).toMatchObject({ result: "OK", exitCode: 0 });
    expect(fs.statSync(path.join(workspace, "dir")).isDirectory()).toBe(true);
  });

  it("is refused making a directory outside (EROFS)", async () => {
    expect(await tryConfined(workspace, ["mkdir", path.join(outside, "dir")])).toMatchObject({ result: DENIED, exitCode: 1 });
    expect(fs.existsSync(path.join(outside, "dir"))).toBe(false);
  });

  it("creates a symlink in the workspace", async () => {
    expect(await tryConfined(workspace, ["symlink", victim, path.join(workspace, "sym")])).toMatchObject({ result: "OK", exitCode: 0 });
  });

  it("is refused creating a symlink outside (EROFS)", async () => {
    expect(await tryConfined(workspace, ["symlink", "/etc/passwd", path.join(outside, "sym")])).toMatchObject({ result: DENIED, exitCode: 1 });
    expect(fs.existsSync(path.join(outside, "sym"))).toBe(false);
  });

  it("deletes a workspace file", async () => {
    expect(await tryConfined(workspace, ["unlink", path.join(workspace, "mine.txt")])).toMatchObject({ result: "OK", exitCode: 0 });
  });

  it("is refused deleting an outside file (EROFS)", async () => {
    expect(await tryConfined(workspace, ["unlink", victim])).toMatchObject({ result: DENIED, exitCode: 1 });
    expect(fs.existsSync(victim)).toBe(true);
  });

  it("reads an outside file (reads are not confined by the default policy)", async () => {
    expect(await tryConfined(workspace, ["read", victim])).toMatchObject({ result: "OK", exitCode: 0 });
  });
});

describe.runIf(canConfine(3))("the read-only sandbox", () => {
  let workspace: string;
  beforeEach(() => {
    workspace = tempDir("ws");
    fs.writeFileSync(path.join(workspace, "mine.txt"), "mine");
  });
  afterEach(removeTempDirs);

  it("reads a workspace that lives under the host's /tmp", async () => {
    const underTmp = tempDir("ws", os.tmpdir());
    fs.writeFileSync(path.join(underTmp, "mine.txt"), "mine");
    expect(await tryConfined(underTmp, ["read", path.join(underTmp, "mine.txt")], { sandbox: "read-only" })).toMatchObject({ result: "OK", exitCode: 0 });
  });

  it("reads a workspace file", async () => {
    expect(await tryConfined(workspace, ["read", path.join(workspace, "mine.txt")], { sandbox: "read-only" })).toMatchObject({ result: "OK", exitCode: 0 });
  });

  it("is refused writing a workspace file (EROFS)", async () => {
    expect(await tryConfined(workspace, ["write", path.join(workspace, "mine.txt")], { sandbox: "read-only" })).toMatchObject({ result: DENIED, exitCode: 1 });
    expect(fs.readFileSync(path.join(workspace, "mine.txt"), "utf8")).toBe("mine");
  });
});
