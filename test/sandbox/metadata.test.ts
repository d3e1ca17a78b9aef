// Nothing outside the writable roots changes, not even metadata: mode, owner,
// times, xattrs and ACLs of files and directories outside and on protected
// paths are refused with EROFS (the read-only mount view), host mounts made
// during the run never show up inside; in the workspace the same calls work.
// Then a script of escapes leaves the outside identical.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafeShell } from "../../dist/index.js";
import { tryBinary } from "../helpers/build";
import { canConfine } from "../helpers/gate";
import { confined, removeTempDirs, tempDir, tryConfined, tryUnconfined } from "../helpers/sandbox";

const uid = String(process.getuid?.() ?? 0);

type Kind = "file" | "dir";
type Place = "outside" | "protected" | "inside a protected dir" | "workspace";

/** One try subcommand: its arguments for a target, and which kinds it applies to. */
const OPERATIONS: { name: string; kinds: Kind[]; args(target: string): string[] }[] = [
  { name: "chmod", kinds: ["file", "dir"], args: (t) => ["chmod", t, "700"] },
  { name: "fchmod through a read-only fd", kinds: ["file", "dir"], args: (t) => ["fchmod", t, "700"] },
  { name: "chown to its own owner", kinds: ["file", "dir"], args: (t) => ["chown", t, uid] },
  { name: "utimensat", kinds: ["file", "dir"], args: (t) => ["utimes", t] },
  { name: "setxattr", kinds: ["file", "dir"], args: (t) => ["setxattr", t] },
  { name: "removexattr", kinds: ["file", "dir"], args: (t) => ["removexattr", t] },
  { name: "set an ACL", kinds: ["file", "dir"], args: (t) => ["setacl", t, uid] },
  { name: "truncate", kinds: ["file"], args: (t) => ["truncate", t] },
  { name: "rename within its directory", kinds: ["file"], args: (t) => ["rename", t, `${t}.moved`] },
  { name: "mknod a FIFO", kinds: ["dir"], args: (t) => ["mknod", path.join(t, "fifo")] },
];

/** What the host sees of a path: everything a metadata change would alter. */
function snapshot(target: string): string {
  const st = fs.lstatSync(target);
  const xattr = tryUnconfined(["removexattr", target]).result; // probes, then restores below
  if (xattr === "OK") tryUnconfined(["setxattr", target]);
  return JSON.stringify({ mode: st.mode, uid: st.uid, gid: st.gid, mtime: st.mtimeMs, size: st.size, xattr, entries: st.isDirectory() ? fs.readdirSync(target).sort() : [] });
}

describe.runIf(canConfine(3))("metadata outside the writable roots", () => {
  let workspace: string;
  let outside: string;
  const targets = {} as Record<Place, Record<Kind, string>>;

  beforeEach(() => {
    workspace = tempDir("ws");
    outside = tempDir("outside");
    const hooks = path.join(workspace, ".git", "hooks");
    fs.mkdirSync(path.join(hooks, "sub"), { recursive: true });
    fs.writeFileSync(path.join(workspace, ".git", "config"), "[core]\n");
    fs.writeFileSync(path.join(hooks, "pre-commit"), "#!/bin/sh\n");
    fs.mkdirSync(path.join(outside, "dir"));
    fs.writeFileSync(path.join(outside, "file"), "original");
    fs.mkdirSync(path.join(workspace, "dir"));
    fs.writeFileSync(path.join(workspace, "file"), "mine");
    targets.outside = { file: path.join(outside, "file"), dir: path.join(outside, "dir") };
    targets.protected = { file: path.join(workspace, ".git", "config"), dir: hooks };
    targets["inside a protected dir"] = { file: path.join(hooks, "pre-commit"), dir: path.join(hooks, "sub") };
    targets.workspace = { file: path.join(workspace, "file"), dir: path.join(workspace, "dir") };
    // removexattr needs an attribute to remove.
    for (const place of Object.values(targets)) for (const target of Object.values(place)) expect(tryUnconfined(["setxattr", target]).result).toBe("OK");
  });
  afterEach(removeTempDirs);

  for (const op of OPERATIONS) {
    for (const kind of op.kinds) {
      it(`${op.name} works on a workspace ${kind}`, async () => {
        const target = targets.workspace[kind];
        expect(await tryConfined(workspace, op.args(target))).toMatchObject({ result: "OK", exitCode: 0 });
      });

      for (const place of ["outside", "inside a protected dir"] as const) {
        it(`${op.name} is refused on a ${kind} ${place} (EROFS), which stays unchanged`, async () => {
          const target = targets[place][kind];
          const before = snapshot(target);
          expect(await tryConfined(workspace, op.args(target))).toMatchObject({ result: "EROFS", exitCode: 1 });
          expect(snapshot(target)).toBe(before);
        });
      }

      // A protected path is itself a mountpoint: renaming it is EBUSY, every
      // other change EROFS.
      it(`${op.name} is refused on a protected ${kind} itself, which stays unchanged`, async () => {
        const target = targets.protected[kind];
        const before = snapshot(target);
        const expected = op.name.startsWith("rename") ? "EBUSY" : "EROFS";
        expect(await tryConfined(workspace, op.args(target))).toMatchObject({ result: expected, exitCode: 1 });
        expect(snapshot(target)).toBe(before);
      });
    }
  }

  // Mounting on the host needs root there; the unprivileged run shows it skipped.
  it.runIf(process.getuid?.() === 0)("a mount the host makes during the run never appears inside, so it is not writable (EROFS)", async () => {
    const mountpoint = path.join(outside, "dir");
    let out = "";
    const run = new SafeShell().start(`sleep 2; '${tryBinary()}' create '${path.join(mountpoint, "planted")}'`, { workspace, onData: (_stream, chunk) => (out += chunk.toString()) });
    expect((await run.enforced)?.readOnlyView).toBe(true);
    expect(spawnSync("mount", ["-t", "tmpfs", "safe-sh-test", mountpoint]).status).toBe(0);
    try {
      fs.writeFileSync(path.join(mountpoint, "host"), "host"); // writable from the host
      expect(await run.closed).toMatchObject({ exitCode: 1 });
      expect(out.trim()).toBe("EROFS");
      expect(fs.existsSync(path.join(mountpoint, "planted"))).toBe(false);
    } finally {
      spawnSync("umount", [mountpoint]);
    }
  });

  it("a script of escapes leaves every outside path as it was", async () => {
    const victims = [...Object.values(targets.outside), ...Object.values(targets.protected), ...Object.values(targets["inside a protected dir"])];
    const before = victims.map(snapshot);
    const script = victims
      .flatMap((v) => [
        `chmod 000 '${v}'`, `chmod -R 777 '${v}'`, `chown -R ${uid} '${v}'`, `touch -d 2001-01-01 '${v}'`, `touch -a '${v}'`,
        `setfattr -n user.planted -v 1 '${v}'`, `setfacl -m u:${uid}:rwx '${v}'`, `mv '${v}' '${v}.gone'`, `ln '${v}' '${v}.hard'`,
        `truncate -s 0 '${v}'`, `python3 -c 'import os; os.utime("${v}", (0, 0))'`, `mkfifo '${v}/fifo'`, `rm -rf '${v}'`,
      ])
      .map((line) => `${line} 2>/dev/null`)
      .join("; ");
    const run = await confined(workspace, `${script}; echo done`);
    expect(run.stdout).toBe("done\n");
    expect(victims.map(snapshot)).toEqual(before);
    expect(fs.readFileSync(targets.outside.file, "utf8")).toBe("original");
  });
});
