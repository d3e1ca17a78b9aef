// SafeShell and Session wired for macOS, run here with the platform set to
// darwin: a stand-in safe-sh-exec records the argv it gets, reports like the
// real one and execs the command, so what is checked is the front end's real
// work (plan, profile parameters, proxy port, process group, timeout, status,
// audit records), not Seatbelt. test/sandbox/darwin.test.ts runs the real one on a Mac.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafeShell, Session, type Policy, type RunOptions } from "../../../../dist/index.js";
import { defaultDraft } from "../../../../dist/policy/layers.js";
import { removeTempDirs, tempDir } from "../../../helpers/sandbox";
import { waitFor } from "../../../helpers/wait";

type Platform = NonNullable<ConstructorParameters<typeof Session>[0]>["platform"];

/** A stand-in launcher writing its argv (NUL-separated) and its pid and process group to `record`. */
function standInLauncher(dir: string): { file: string; argv(): string[]; group(): { pid: number; pgid: number } } {
  const file = path.join(dir, "safe-sh-exec");
  const record = path.join(dir, "record");
  fs.writeFileSync(
    file,
    `#!/bin/bash
printf '%s\\0' "$@" > '${record}.argv'
echo "$$ $(ps -o pgid= -p $$)" > '${record}.group'
report= chdir=
while [ $# -gt 0 ]; do
  case "$1" in
    --report-fd) report=$2; shift 2 ;;
    --chdir) chdir=$2; shift 2 ;;
    --) shift; break ;;
    --allow-degraded) shift ;;
    *) shift 2 ;;
  esac
done
cd "$chdir" || exit 125
if [ -n "$report" ]; then
  printf '{"seatbelt":true,"landlock":null,"seccomp":false,"noNewPrivs":false,"capabilitiesDropped":false,"namespaces":[],"readOnlyView":false,"privateTmp":false,"protected":0,"masked":0,"missing":[]}\\n' >&"$report"
  eval "exec $report>&-"
fi
exec "$@"
`,
    { mode: 0o755 },
  );
  return {
    file,
    argv: () => fs.readFileSync(`${record}.argv`, "utf8").split("\0").slice(0, -1),
    group: () => {
      const [pid, pgid] = fs.readFileSync(`${record}.group`, "utf8").trim().split(/\s+/).map(Number);
      return { pid: pid!, pgid: pgid! };
    },
  };
}

/** The values of every `flag VALUE` pair in the launcher's flags (before `--`). */
function flagValues(argv: string[], flag: string): string[] {
  const flags = argv.slice(0, argv.indexOf("--"));
  return flags.flatMap((word, i) => (word === flag ? [flags[i + 1]!] : []));
}

/** No such process any more, or only its zombie (which nobody in a container may reap); ps works on Linux and macOS. */
function gone(pid: number): boolean {
  const state = spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim();
  return state === "" || state.startsWith("Z");
}

/**
 * The commands' base environment. HOME is an empty directory: child_process's
 * stdio are sockets, and a bash built with SSH_SOURCE_BASHRC (Debian's) then
 * reads ~/.bashrc as if started by sshd.
 */
const env = () => ({ PATH: "/usr/bin:/bin", HOME: path.join(dir, "home") });

let dir: string;
let workspace: string;
let launcher: ReturnType<typeof standInLauncher>;
let platform: Platform;

beforeEach(() => {
  dir = tempDir("darwin-wiring");
  workspace = path.join(dir, "project");
  fs.mkdirSync(path.join(workspace, ".git"), { recursive: true });
  fs.mkdirSync(path.join(dir, "home"));
  fs.writeFileSync(path.join(workspace, ".git", "config"), "");
  launcher = standInLauncher(dir);
  platform = { os: "darwin", launcher: launcher.file };
});
afterEach(removeTempDirs);

describe("SafeShell on macOS (platform mocked, stand-in launcher)", () => {
  const run = (command: string | string[], options: RunOptions = {}, shell = new SafeShell({ workspace }, platform)) => shell.run(command, { env: { ...env(), AWS_SECRET_ACCESS_KEY: "hidden" }, ...options });

  it("starts the launcher with the Seatbelt profile, its path parameters and the command's own argv; the status is the command's", async () => {
    const result = await run("echo out; echo err >&2; exit 7");
    expect(result).toMatchObject({ exitCode: 7, signal: null, stdout: "out\n", stderr: "err\n", timedOut: false });
    expect(result.enforced?.seatbelt).toBe(true);
    const argv = launcher.argv();
    expect(argv.slice(argv.indexOf("--"))).toEqual(["--", "bash", "-c", "echo out; echo err >&2; exit 7"]);
    const [profile] = flagValues(argv, "--seatbelt-profile");
    expect(profile).toMatch(/^\(version 1\)/m);
    expect(profile).toMatch(/^\(deny default /m);
    // Paths travel as parameters: the workspace is one, never spliced into the profile.
    const params = flagValues(argv, "--seatbelt-param");
    expect(params).toContain(`WRITABLE_ROOT_1=${workspace}`);
    expect(profile).not.toContain(workspace);
    expect(params.some((param) => param.endsWith(`=${workspace}/.git/config`))).toBe(true);
    expect(flagValues(argv, "--rw")).toContain(workspace);
    expect(flagValues(argv, "--network")).toEqual(["none"]);
    expect(flagValues(argv, "--chdir")).toEqual([workspace]);
    expect(flagValues(argv, "--report-fd")).toEqual(["3"]);
  });

  it("gives the command a scrubbed environment and a private TMPDIR, removed after the run", async () => {
    const result = await run('echo "$TMPDIR|${AWS_SECRET_ACCESS_KEY-unset}"; touch "$TMPDIR/x"');
    const [tmpdir, secret] = result.stdout.trim().split("|");
    expect(secret).toBe("unset");
    expect(tmpdir).toMatch(/safe-sh-[^/]+\/$/);
    expect(flagValues(launcher.argv(), "--rw")[0]).toBe(tmpdir!.slice(0, -1));
    expect(result.exitCode).toBe(0);
    expect(fs.existsSync(tmpdir!)).toBe(false);
  });

  it("runs the launcher as the leader of its own process group", async () => {
    await run("true");
    const { pid, pgid } = launcher.group();
    expect(pgid).toBe(pid);
    expect(pgid).not.toBe(process.pid);
  });

  it("reports death by a signal as the signal, not a status", async () => {
    expect(await run("kill -TERM $$")).toMatchObject({ exitCode: null, signal: "SIGTERM" });
  });

  it("kills the whole tree when the timeout elapses, and only then", async () => {
    const pidFile = path.join(workspace, "background.pid");
    const quick = await run(`sleep 30 & echo $! > '${pidFile}'; kill $!`, { timeoutMs: 10_000 });
    expect(quick.timedOut).toBe(false);
    const started = Date.now();
    const result = await run(`sleep 30 & echo $! > '${pidFile}'; sleep 30`, { timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, signal: "SIGKILL" });
    expect(Date.now() - started).toBeLessThan(10_000);
    const background = Number(fs.readFileSync(pidFile, "utf8"));
    await waitFor("the background sleep to be killed", () => (gone(background) ? true : undefined), 5_000);
  });

  it("under the allowlist, gives the proxy's TCP port on 127.0.0.1 to the launcher and the command, and the proxy judges what arrives there", async () => {
    const events: { host: string; decision: string }[] = [];
    const shell = new SafeShell({ workspace, networkRules: { allow: ["allowed.example"] }, onNetworkEvent: (event) => events.push(event) }, platform);
    try {
      const connect = `exec 3<>/dev/tcp/127.0.0.1/\${HTTP_PROXY##*:}; printf 'CONNECT denied.example:443 HTTP/1.1\\r\\nHost: denied.example:443\\r\\n\\r\\n' >&3; head -n 1 <&3`;
      const result = await run(connect, { network: "allowlist" }, shell);
      const [port] = flagValues(launcher.argv(), "--proxy-port");
      expect(Number(port)).toBeGreaterThan(0);
      expect(result.stdout).toMatch(/^HTTP\/1\.1 403/);
      await waitFor("the proxy's connection event", () => events[0], 5_000);
      expect(events[0]).toMatchObject({ host: "denied.example", decision: "deny" });
    } finally {
      await shell.close();
    }
  });

  it("refuses a read allowlist, which Seatbelt's profile would not enforce", async () => {
    await expect(run("true", { readAllowlist: ["/usr"] })).rejects.toMatchObject({ code: "ERR_SAFESH_NOT_ENFORCED" });
  });
});

/** A stand-in `log stream`: prints one denial tagged with the run id it is asked for, then waits to be stopped. */
function logWith(denial: string | undefined, asked: string[][], started: ChildProcess[] = []): (file: string, args: string[]) => ChildProcess {
  return (file, args) => {
    asked.push([file, ...args]);
    const id = /safe-sh:([^"]+)/.exec(args.at(-1)!)![1]!;
    const line = denial ? JSON.stringify({ eventMessage: `${denial} safe-sh:${id}` }) : "";
    // bash starts in milliseconds: the denial is out well before the run ends.
    const child = spawn("/bin/bash", ["-c", 'if [ -n "$1" ]; then printf "%s\\n" "$1"; fi; exec sleep 60', "log", line], { stdio: ["ignore", "pipe", "ignore"] });
    started.push(child);
    return child;
  };
}

describe("Session on macOS (platform mocked, stand-in launcher and log)", () => {
  let notices: string[];
  let asked: string[][];
  let logs: ChildProcess[];
  const open = (denial?: string, changes: Partial<Policy> = {}) =>
    new Session({
      workspace,
      policy: { ...defaultDraft("/nonexistent/safe-sh/config.toml").policy, ...changes },
      audit: { path: path.join(dir, "trail", "audit.jsonl") },
      env: { ...env(), SAFE_SH_STATE_DIR: path.join(dir, "state") },
      notify: (line) => notices.push(line),
      platform: { ...platform!, spawnLog: logWith(denial, asked, logs) },
    });
  const records = (session: Session) => fs.readFileSync(session.audit.path, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeEach(() => {
    notices = [];
    asked = [];
    logs = [];
  });

  it("records Seatbelt's guarantees at exec, with the run id the profile tags its denials with", async () => {
    const session = open();
    const result = await session.run("echo hi");
    await session.close();
    expect(result).toMatchObject({ status: 0, stdout: "hi\n", ran: true });
    expect(result.enforced).toEqual(expect.arrayContaining(["Seatbelt profile (deny default)", "no network (IP sockets denied)", "process-group containment", "env scrubbed"]));
    expect(result.enforced.some((fact) => fact.startsWith("landlock"))).toBe(false);
    const trail = records(session);
    expect(trail.map((r) => r.event)).toEqual(["decision", "approval", "exec", "exit"]);
    expect(trail[2]).toMatchObject({ runId: result.runId, enforced: result.enforced, degraded: [] });
    expect(flagValues(launcher.argv(), "--seatbelt-profile")[0]).toContain(`safe-sh:${result.runId}`);
    expect(asked).toEqual([["/usr/bin/log", "stream", "--style", "ndjson", "--level", "info", "--predicate", `eventMessage CONTAINS "safe-sh:${result.runId}"`]]);
  });

  it("turns each denial of the run into a violation record, and on-failure asks to re-run because of it", async () => {
    const target = path.join(dir, "outside", "file");
    const session = open(`Sandbox: touch(4242) deny(1) file-write-create ${target}`, { approval: "on-failure" });
    const result = await session.run("echo failed; exit 1");
    await session.close();
    expect(result.status).toBe(1);
    const trail = records(session);
    expect(trail.filter((r) => r.event === "violation")).toEqual([expect.objectContaining({ runId: result.runId, process: "touch", pid: 4242, operation: "file-write-create", target, command: "echo failed; exit 1" })]);
    expect(trail.find((r) => r.event === "exit")).toMatchObject({ runId: result.runId, sandboxDenialSuspected: true });
    expect(notices).toContain(`safe-sh: the sandbox (Seatbelt) denied 1 operation: writes in ${path.dirname(target)}`);
    expect(notices.some((line) => line.includes("asking to re-run it with more access"))).toBe(true);
  });

  it("without a denial, a failing command is just a failure: no violation record, no re-run question", async () => {
    const session = open(undefined, { approval: "on-failure" });
    const result = await session.run("echo failed; exit 1");
    await session.close();
    expect(result.status).toBe(1);
    expect(records(session).some((r) => r.event === "violation")).toBe(false);
    expect(records(session).find((r) => r.event === "exit")).toMatchObject({ sandboxDenialSuspected: false });
    expect(notices.some((line) => line.includes("re-run"))).toBe(false);
  });

  it("stops reading the log when the run cannot start", async () => {
    const session = open();
    await expect(session.run("true", { cwd: "missing" })).rejects.toMatchObject({ code: "ERR_SAFESH_WORKSPACE" });
    await session.close();
    expect(logs).toHaveLength(1);
    await waitFor("the log reader to be stopped", () => (logs[0]!.exitCode !== null || logs[0]!.signalCode !== null ? true : undefined), 5_000);
  });

  it("kills the tree when aborted", async () => {
    const session = open();
    const controller = new AbortController();
    const pidFile = path.join(workspace, "background.pid");
    setTimeout(() => controller.abort(), 300);
    const result = await session.run(`sleep 30 & echo $! > '${pidFile}'; sleep 30`, { signal: controller.signal });
    await session.close();
    expect(result).toMatchObject({ cancelled: true, signal: "SIGKILL", status: 137 });
    const background = Number(fs.readFileSync(pidFile, "utf8"));
    await waitFor("the background sleep to be killed", () => (gone(background) ? true : undefined), 5_000);
  });
});
