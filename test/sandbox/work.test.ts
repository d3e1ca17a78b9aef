// Legitimate work keeps working under the default policy (workspace-write,
// network none): file trees, git, a C toolchain, node, python, devices, sockets.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tryBinary } from "../helpers/build";
import { canConfine } from "../helpers/gate";
import { confined, removeTempDirs, tempDir } from "../helpers/sandbox";

describe.runIf(canConfine())("work in the workspace", () => {
  let workspace: string;
  beforeEach(() => {
    workspace = tempDir("ws");
  });
  afterEach(removeTempDirs);

  it("builds a tree with mkdir -p and cp -r, then deletes it with rm -rf", async () => {
    const run = await confined(workspace, "mkdir -p a/b/c && echo hi > a/b/c/f && cp -r a copy && cat copy/b/c/f && rm -rf a copy && ls -A");
    expect(run).toMatchObject({ exitCode: 0, stdout: "hi\n" });
    expect(fs.readdirSync(workspace)).toEqual([]);
  });

  it("initialises a git repository and commits to it", async () => {
    const script = [
      "git init -q",
      "echo hello > README",
      "git add README",
      "git -c user.name=Tester -c user.email=tester@example.invalid -c commit.gpgsign=false commit -qm first",
      "git log --format=%s",
    ].join(" && ");
    const run = await confined(workspace, script, { env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" } });
    expect(run).toMatchObject({ exitCode: 0, stdout: "first\n" });
    // The commit is there for the host's git afterwards too.
    const log = spawnSync("git", ["-C", workspace, "log", "--format=%s"], { encoding: "utf8", timeout: 10_000 });
    expect(log.stdout).toBe("first\n");
  });

  it("compiles C with cc and runs the program", async () => {
    fs.writeFileSync(path.join(workspace, "seven.c"), "int main(void) { return 7; }\n");
    const run = await confined(workspace, "cc -o seven seven.c && ./seven");
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(7);
  });

  it("runs a node script that writes a file", async () => {
    const run = await confined(workspace, ["node", "-e", "require('fs').writeFileSync('from-node.txt', 'node ' + process.version)"]);
    expect(run).toMatchObject({ exitCode: 0, stderr: "" });
    expect(fs.readFileSync(path.join(workspace, "from-node.txt"), "utf8")).toMatch(/^node v\d+/);
  });

  it("runs a python3 script that writes a file", async () => {
    const run = await confined(workspace, ["python3", "-c", "open('from-python.txt', 'w').write('python')"]);
    expect(run).toMatchObject({ exitCode: 0, stderr: "" });
    expect(fs.readFileSync(path.join(workspace, "from-python.txt"), "utf8")).toBe("python");
  });

  it("makes a socketpair", async () => {
    const run = await confined(workspace, [tryBinary(), "socketpair"]);
    expect(run).toMatchObject({ exitCode: 0, stdout: "OK\n" });
  });

  it("writes /dev/null and reads /dev/zero and /dev/urandom", async () => {
    const run = await confined(workspace, "echo gone > /dev/null && head -c 3 /dev/zero | od -An -tx1 && head -c 16 /dev/urandom | wc -c");
    expect(run).toMatchObject({ exitCode: 0, stderr: "", stdout: " 00 00 00\n16\n" });
  });
});
