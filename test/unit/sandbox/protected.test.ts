// Protected paths inside writable roots and credential masks.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gitDirs, planProtection } from "../../../src/sandbox/protected";

let root: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "protected-")));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("planProtection", () => {
  it("re-binds existing protected paths and sweeps missing ones", () => {
    fs.mkdirSync(path.join(root, ".git/hooks"), { recursive: true });
    const plan = planProtection([root], [".git/hooks", ".vscode"], [], "/home/u");
    expect(plan.protect).toEqual([path.join(root, ".git/hooks")]);
    expect(plan.sweep).toEqual([path.join(root, ".vscode")]);
  });

  it("follows a gitdir: file to the worktree's git dir and its commondir", () => {
    const main = path.join(root, "main.git");
    const worktreeGit = path.join(main, "worktrees", "wt");
    fs.mkdirSync(path.join(main, "hooks"), { recursive: true });
    fs.mkdirSync(worktreeGit, { recursive: true });
    fs.writeFileSync(path.join(worktreeGit, "commondir"), "../..\n");
    const checkout = path.join(root, "wt");
    fs.mkdirSync(checkout);
    fs.writeFileSync(path.join(checkout, ".git"), `gitdir: ${worktreeGit}\n`);
    expect(gitDirs(checkout)).toEqual([worktreeGit, main]);
    const plan = planProtection([checkout], [".git/hooks"], []);
    expect(plan.protect).toEqual([path.join(main, "hooks")]);
    expect(plan.sweep).toEqual([path.join(worktreeGit, "hooks")]);
  });

  it("refuses a protected path that is a symlink, with ERR_SAFESH_WORKSPACE", () => {
    fs.symlinkSync("/etc/passwd", path.join(root, ".bashrc"));
    expect(() => planProtection([root], [".bashrc"], [])).toThrow(expect.objectContaining({ code: "ERR_SAFESH_WORKSPACE" }));
  });

  it("resolves masks against HOME and drops a mask that would hide a writable root", () => {
    const plan = planProtection(["/home/u/.ssh/work"], [], [".ssh", ".aws", "/run/docker.sock"], "/home/u");
    expect(plan.mask).toEqual(["/home/u/.aws", "/run/docker.sock"]);
  });

  it("lists each mask once, and keeps paths under another mask (that one may be a symlink the launcher skips)", () => {
    const plan = planProtection(["/w"], [], [".local/state/safe-sh", "/home/u/.local/state/safe-sh", "/home/u/.local/state/safe-sh/audit.jsonl"], "/home/u");
    expect(plan.mask).toEqual(["/home/u/.local/state/safe-sh", "/home/u/.local/state/safe-sh/audit.jsonl"]);
  });
});
