// What toolchains need, confined: a writable home that never reaches the real
// one, caches that persist per workspace, a private /dev/shm, and config
// files seen with their secrets filtered out. Each with the other side.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunOptions } from "../../dist/index.js";
import { canConfine } from "../helpers/gate";
import { confined, removeTempDirs, tempDir } from "../helpers/sandbox";

const HAS_PYTHON = spawnSync("python3", ["-c", "import multiprocessing"]).status === 0;
const HAS_GIT = spawnSync("git", ["--version"]).status === 0;

describe.runIf(canConfine())("toolchain support", () => {
  let home: string;
  let workspace: string;
  let options: RunOptions;
  beforeEach(() => {
    home = tempDir("home");
    workspace = tempDir("ws");
    options = { env: { PATH: process.env.PATH, HOME: home } };
  });
  afterEach(removeTempDirs);

  describe("the home layer", () => {
    it("takes dotfile writes, and none reaches the real home", async () => {
      fs.writeFileSync(path.join(home, ".toolrc"), "host\n");
      const run = await confined(workspace, "echo inside > ~/.newrc && cat ~/.newrc && cat ~/.toolrc && echo changed > ~/.toolrc && cat ~/.toolrc", options);
      expect(run).toMatchObject({ exitCode: 0, stdout: "inside\nhost\nchanged\n" });
      expect(fs.existsSync(path.join(home, ".newrc"))).toBe(false);
      expect(fs.readFileSync(path.join(home, ".toolrc"), "utf8")).toBe("host\n");
    });

    it("is refused when turned off: the home is read-only (EROFS)", async () => {
      const run = await confined(workspace, "echo inside > ~/.newrc", { ...options, homeLayer: false });
      expect(run.exitCode).not.toBe(0);
      expect(run.stderr).toMatch(/Read-only file system|Permission denied/);
      expect(fs.existsSync(path.join(home, ".newrc"))).toBe(false);
    });

    it("keeps the credential masks on top (EACCES)", async () => {
      fs.mkdirSync(path.join(home, ".ssh"));
      fs.writeFileSync(path.join(home, ".ssh", "id_ed25519"), "KEY\n");
      const run = await confined(workspace, "cat ~/.ssh/id_ed25519", options);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain("Permission denied");
      expect(run.stdout).not.toContain("KEY");
    });

    it("binds a workspace inside the home back: its writes reach the host", async () => {
      const project = path.join(home, "src", "project");
      fs.mkdirSync(project, { recursive: true });
      const run = await confined(project, "echo built > out.txt && echo scratch > ~/scratch", options);
      expect(run.exitCode).toBe(0);
      expect(fs.readFileSync(path.join(project, "out.txt"), "utf8")).toBe("built\n");
      expect(fs.existsSync(path.join(home, "scratch"))).toBe(false);
    });

    it.each([
      ["inside the home", () => path.join(home, "src", "ro-project")],
      ["under /tmp", () => tempDir("ro-ws", "/tmp")],
    ])("keeps a read-only workspace %s read-only once bound back (EROFS)", async (_label, dir) => {
      const project = dir();
      fs.mkdirSync(project, { recursive: true });
      const run = await confined(project, "echo x > written", { ...options, sandbox: "read-only" });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain("Read-only file system");
      expect(fs.existsSync(path.join(project, "written"))).toBe(false);
    });
  });

  describe("package caches", () => {
    it("persist across runs of one workspace, outside the real home, and not into another workspace", async () => {
      expect((await confined(workspace, "mkdir -p ~/.npm/_cacache && echo entry > ~/.npm/_cacache/x", options)).exitCode).toBe(0);
      expect(await confined(workspace, "cat ~/.npm/_cacache/x", options)).toMatchObject({ exitCode: 0, stdout: "entry\n" });
      expect(fs.existsSync(path.join(home, ".npm"))).toBe(false);
      const other = tempDir("ws-other");
      const run = await confined(other, "cat ~/.npm/_cacache/x", options);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain("No such file");
    });

    it("are not readable through safe-sh's own cache directory (masked)", async () => {
      await confined(workspace, "mkdir -p ~/.cache/pip && echo wheel > ~/.cache/pip/w", options);
      const run = await confined(tempDir("ws-other"), "ls ~/.cache/safe-sh", options);
      expect(run.exitCode).not.toBe(0);
      expect(run.stderr).toContain("Permission denied");
    });
  });

  describe("/dev/shm", () => {
    it("is writable and private: nothing appears in the host's", async () => {
      const name = `safe-sh-test-${process.pid}-${Date.now()}`;
      const run = await confined(workspace, `echo x > /dev/shm/${name} && cat /dev/shm/${name}`, options);
      expect(run).toMatchObject({ exitCode: 0, stdout: "x\n" });
      expect(fs.existsSync(`/dev/shm/${name}`)).toBe(false);
    });

    it.runIf(HAS_PYTHON)("lets Python multiprocessing run a Pool and a Lock", async () => {
      const script = "import multiprocessing as m\nif __name__ == '__main__':\n    l = m.Lock()\n    with m.Pool(2) as p: print(p.map(abs, [-1, -2]))";
      const run = await confined(workspace, ["python3", "-c", script], options);
      expect(run).toMatchObject({ exitCode: 0, stdout: "[1, 2]\n" });
    });
  });

  describe("config files with secrets", () => {
    it("show ~/.npmrc settings without its tokens, and leave the file on the host alone", async () => {
      const npmrc = "registry=https://registry.example.test/\nnodedir=/usr\n//registry.example.test/:_authToken=SECRET-TOKEN\n";
      fs.writeFileSync(path.join(home, ".npmrc"), npmrc);
      const run = await confined(workspace, "cat ~/.npmrc", options);
      expect(run).toMatchObject({ exitCode: 0, stdout: "registry=https://registry.example.test/\nnodedir=/usr\n" });
      expect(fs.readFileSync(path.join(home, ".npmrc"), "utf8")).toBe(npmrc);
      // The run's filtered copies go with it.
      expect(fs.readdirSync(path.join(home, ".cache", "safe-sh", "filtered"))).toEqual([]);
    });

    it.runIf(HAS_GIT)("show ~/.gitconfig's user but not its credential helper", async () => {
      fs.writeFileSync(path.join(home, ".gitconfig"), "[user]\n\tname = Ada\n[credential]\n\thelper = store\n");
      const run = await confined(workspace, "git config --global user.name; git config --global credential.helper || echo no-helper", options);
      expect(run).toMatchObject({ exitCode: 0, stdout: "Ada\nno-helper\n" });
    });

    it("stay masked when they can't be filtered (invalid JSON)", async () => {
      fs.mkdirSync(path.join(home, ".docker"));
      fs.writeFileSync(path.join(home, ".docker", "config.json"), '{"auths": {"r": {"auth": "SECRET"}');
      const run = await confined(workspace, "cat ~/.docker/config.json", options);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).not.toContain("SECRET");
    });
  });
});
