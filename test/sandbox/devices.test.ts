// Device nodes under the read-only view: the listed ones keep working, the
// sandbox has ptys of its own (the host's terminals are not even visible),
// and any other device stays unwritable (a device node is writable on a
// read-only mount, so Landlock's write right is what refuses it).
import * as fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canConfine } from "../helpers/gate";
import { confined, removeTempDirs, tempDir, tryConfined, tryUnconfined } from "../helpers/sandbox";

const PYTHON = "/usr/bin/python3";

describe.runIf(canConfine(3))("devices", () => {
  let workspace: string;
  beforeEach(() => {
    workspace = tempDir("ws");
  });
  afterEach(removeTempDirs);

  it("/dev/null, /dev/zero and /dev/urandom work", async () => {
    const run = await confined(workspace, "echo gone > /dev/null && head -c 3 /dev/zero | wc -c && head -c 5 /dev/urandom | wc -c");
    expect(run).toMatchObject({ exitCode: 0, stdout: "3\n5\n" });
  });

  it.runIf(fs.existsSync(PYTHON))("opens a pty of the sandbox's own, and sees none of the host's", async () => {
    const script = "import os, pty; print(sorted(os.listdir('/dev/pts'))); m, s = pty.openpty(); os.write(m, b'hi\\n'); print(os.ttyname(s), os.read(s, 3))";
    const run = await confined(workspace, [PYTHON, "-c", script]);
    expect(run).toMatchObject({ exitCode: 0, stdout: "['ptmx']\n/dev/pts/0 b'hi\\n'\n" });
  });

  it("is refused writing to a device that is not listed (EACCES), though its mount is read-only", async () => {
    expect(tryUnconfined(["write", "/dev/kmsg"]).result).toBe(process.getuid?.() === 0 ? "OK" : "EACCES");
    expect(await tryConfined(workspace, ["write", "/dev/kmsg"])).toMatchObject({ result: "EACCES", exitCode: 1 });
  });

  it("is refused making a device node or FIFO in /dev (EROFS)", async () => {
    expect(await tryConfined(workspace, ["mknod", "/dev/safe-sh-fifo"])).toMatchObject({ result: "EROFS", exitCode: 1 });
    expect(fs.existsSync("/dev/safe-sh-fifo")).toBe(false);
  });
});
