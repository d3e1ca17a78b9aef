// Confinement of process and kernel reach: signals, ptrace and /proc of outside
// processes, io_uring, keyrings, TIOCSTI, namespaces, mount, 32-bit/x32 syscalls.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tryBinary } from "../helpers/build";
import { canConfine, canConfineWithoutNamespaces, kernelFacts } from "../helpers/gate";
import { confined, isGone, removeTempDirs, tempDir, tryConfined, tryUnconfined } from "../helpers/sandbox";

// Signalling an outside process through SafeShell: the pid namespace hides it → ESRCH.
// (Without a pid namespace, Landlock's LANDLOCK_SCOPE_SIGNAL (ABI 6) answers EPERM:
// see SIGNAL_OUTSIDE_LANDLOCK, tested on the launcher without --namespaces.)
const SIGNAL_OUTSIDE = "ESRCH";
const SIGNAL_OUTSIDE_LANDLOCK = "EPERM";
// /proc/PID/environ of an outside process: the fresh /proc of the pid namespace
// has no such pid → ENOENT. (Without it, Landlock's ptrace rule answers EACCES.)
const ENVIRON_OUTSIDE = "ENOENT";
const ENVIRON_OUTSIDE_LANDLOCK = "EACCES";
// Everything below is refused by the seccomp filter with EPERM.
const SYSCALL_DENIED = "EPERM";

const sysctl = (name: string): string | undefined => {
  try {
    return fs.readFileSync(`/proc/sys/${name}`, "utf8").trim();
  } catch {
    return undefined;
  }
};

const IS_ROOT = process.getuid?.() === 0;
const IO_URING_ENABLED = (sysctl("kernel/io_uring_disabled") ?? "0") === "0";
const PTRACE_UNRESTRICTED = (sysctl("kernel/yama/ptrace_scope") ?? "0") === "0";
const TIOCSTI_ALLOWED = IS_ROOT || sysctl("dev/tty/legacy_tiocsti") === "1";
/** Whether `int $0x80` works at all here (some hypervisors fault on it even unconfined). */
const INT80_AVAILABLE =
  process.platform === "linux" && process.arch === "x64" && canConfine() && tryUnconfined(["int80-getpid"]).result === "OK";

/** Runs argv under a fresh pseudo-terminal (python3's pty module); returns its output and exit code. */
function underPty(argv: string[]): { output: string; status: number | null } {
  const driver = [
    "import os, pty, sys",
    "pid, fd = pty.fork()",
    "if pid == 0: os.execvp(sys.argv[1], sys.argv[1:])",
    "out = b''",
    "while True:",
    "    try: chunk = os.read(fd, 1024)",
    "    except OSError: break",
    "    if not chunk: break",
    "    out += chunk",
    "_, status = os.waitpid(pid, 0)",
    "sys.stdout.write(out.decode(errors='replace'))",
    "sys.exit(os.waitstatus_to_exitcode(status))",
  ].join("\n");
  const run = spawnSync("python3", ["-c", driver, ...argv], { encoding: "utf8", timeout: 15_000 });
  return { output: run.stdout ?? "", status: run.status };
}

describe.runIf(canConfine())("processes outside the sandbox", () => {
  let victim: ChildProcess;
  let workspace: string;

  // A fresh victim per test: an escape that works must not break the next test.
  beforeEach(() => {
    victim = spawn("sleep", ["300"], { stdio: "ignore" });
    workspace = tempDir("ws");
  });
  afterEach(() => {
    if (victim.pid !== undefined && victim.exitCode === null && victim.signalCode === null) process.kill(victim.pid, "SIGKILL");
    removeTempDirs();
  });

  it("can be signalled and read by the unconfined probe (baseline)", () => {
    expect(tryUnconfined(["kill", String(victim.pid), "0"]).result).toBe("OK");
    expect(tryUnconfined(["environ", String(victim.pid)]).result).toBe("OK");
  });

  it(`cannot be signalled from inside (${SIGNAL_OUTSIDE})`, async () => {
    expect(await tryConfined(workspace, ["kill", String(victim.pid), "15"])).toMatchObject({ result: SIGNAL_OUTSIDE, exitCode: 1 });
    expect(isGone(victim.pid!)).toBe(false);
  });

  it.runIf(PTRACE_UNRESTRICTED)("can be ptrace-attached by the unconfined probe (baseline)", () => {
    expect(tryUnconfined(["ptrace-attach", String(victim.pid)]).result).toBe("OK");
  });

  it(`cannot be ptrace-attached from inside (${SYSCALL_DENIED})`, async () => {
    expect(await tryConfined(workspace, ["ptrace-attach", String(victim.pid)])).toMatchObject({ result: SYSCALL_DENIED, exitCode: 1 });
  });

  it(`do not show their /proc/PID/environ inside (${ENVIRON_OUTSIDE})`, async () => {
    expect(await tryConfined(workspace, ["environ", String(victim.pid)])).toMatchObject({ result: ENVIRON_OUTSIDE, exitCode: 1 });
  });
});

describe.runIf(canConfineWithoutNamespaces())("processes outside, from the launcher without --namespaces (Landlock alone)", () => {
  let victim: ChildProcess;
  let workspace: string;
  const launch = (args: string[]) => {
    const run = spawnSync(kernelFacts().launcherPath!, ["--ro", "/", "--rw", workspace, "--", tryBinary(), ...args], { encoding: "utf8", timeout: 10_000 });
    return { result: run.stdout.trim(), exitCode: run.status };
  };

  // A fresh victim per test: an escape that works must not break the next test.
  beforeEach(() => {
    victim = spawn("sleep", ["300"], { stdio: "ignore" });
    workspace = tempDir("ws");
  });
  afterEach(() => {
    if (victim.pid !== undefined && victim.exitCode === null && victim.signalCode === null) process.kill(victim.pid, "SIGKILL");
    removeTempDirs();
  });

  it.runIf(canConfineWithoutNamespaces(6))(`cannot be signalled (${SIGNAL_OUTSIDE_LANDLOCK}, Landlock signal scope, ABI >= 6)`, () => {
    expect(launch(["kill", String(victim.pid), "15"])).toEqual({ result: SIGNAL_OUTSIDE_LANDLOCK, exitCode: 1 });
    expect(isGone(victim.pid!)).toBe(false);
  });

  it(`do not show their /proc/PID/environ (${ENVIRON_OUTSIDE_LANDLOCK}, Landlock ptrace rule)`, () => {
    expect(launch(["environ", String(victim.pid)])).toEqual({ result: ENVIRON_OUTSIDE_LANDLOCK, exitCode: 1 });
  });

  it("signal a process of their own", () => {
    const run = spawnSync(kernelFacts().launcherPath!, ["--ro", "/", "--", "bash", "-c", `sleep 100 & "${tryBinary()}" kill $! 15; wait $!; echo "status=$?"`], { encoding: "utf8", timeout: 10_000 });
    expect(run.stdout).toBe("OK\nstatus=143\n");
  });
});

describe.runIf(canConfine())("processes inside the sandbox", () => {
  let workspace: string;
  beforeEach(() => {
    workspace = tempDir("ws");
  });
  afterEach(removeTempDirs);

  it("signal each other", async () => {
    const run = await confined(workspace, `sleep 100 & "${tryBinary()}" kill $! 15; wait $!; echo "status=$?"`);
    expect(run.stdout).toBe("OK\nstatus=143\n");
  });

  it("read each other's /proc/PID/environ", async () => {
    const run = await confined(workspace, `sleep 100 & "${tryBinary()}" environ $!; kill $!`);
    expect(run.stdout).toBe("OK\n");
  });

  it("an unconfined process of this user has a non-empty capability bounding set (baseline)", () => {
    expect(capabilitySets(fs.readFileSync("/proc/self/status", "utf8")).CapBnd).not.toBe(0n);
  });

  // A root caller stays uid 0 in its user namespace: without the drop it
  // could unmount the protections (docs/design.md §2, step 5).
  it("hold no capability in any set, bounding and ambient included", async () => {
    const run = await confined(workspace, ["cat", "/proc/self/status"]);
    expect(run.exitCode).toBe(0);
    expect(capabilitySets(run.stdout)).toEqual({ CapInh: 0n, CapPrm: 0n, CapEff: 0n, CapBnd: 0n, CapAmb: 0n });
  });
});

/** The Cap* lines of a /proc/PID/status text, as numbers. */
function capabilitySets(status: string): Record<string, bigint> {
  const sets: Record<string, bigint> = {};
  for (const match of status.matchAll(/^(Cap\w+):\s*([0-9a-f]+)$/gm)) sets[match[1]!] = BigInt(`0x${match[2]}`);
  return sets;
}

describe.runIf(canConfine())("kernel interfaces refused by the syscall filter", () => {
  let workspace: string;
  beforeEach(() => {
    workspace = tempDir("ws");
  });
  afterEach(removeTempDirs);

  it.runIf(IO_URING_ENABLED)("io_uring_setup works unconfined (baseline)", () => {
    expect(tryUnconfined(["io-uring"]).result).toBe("OK");
  });

  it(`io_uring_setup is refused (${SYSCALL_DENIED})`, async () => {
    expect(await tryConfined(workspace, ["io-uring"])).toMatchObject({ result: SYSCALL_DENIED, exitCode: 1 });
  });

  it("the user keyring is readable and add_key works unconfined (baseline)", () => {
    expect(tryUnconfined(["keyctl-read"]).result).toBe("OK");
    expect(tryUnconfined(["add-key"]).result).toBe("OK");
  });

  it(`keyctl(KEYCTL_READ) of the user keyring is refused (${SYSCALL_DENIED})`, async () => {
    expect(await tryConfined(workspace, ["keyctl-read"])).toMatchObject({ result: SYSCALL_DENIED, exitCode: 1 });
  });

  it(`add_key is refused (${SYSCALL_DENIED})`, async () => {
    expect(await tryConfined(workspace, ["add-key"])).toMatchObject({ result: SYSCALL_DENIED, exitCode: 1 });
  });

  it.runIf(TIOCSTI_ALLOWED)("TIOCSTI injects into a terminal unconfined (baseline)", () => {
    const run = underPty([tryBinary(), "tiocsti"]);
    expect(run.output).toMatch(/OK\r?\n$/);
    expect(run.status).toBe(0);
  });

  // The launcher directly: bin/safe-sh on a terminal would first ask to approve the unknown probe.
  it(`TIOCSTI on the launcher's terminal is refused (${SYSCALL_DENIED})`, () => {
    const run = underPty([kernelFacts().launcherPath!, "--ro", "/", "--rw", workspace, "--", tryBinary(), "tiocsti"]);
    expect(run.output).toMatch(new RegExp(`^${SYSCALL_DENIED}\\r?\\n$`));
    expect(run.status).toBe(1);
  });

  it.runIf(kernelFacts().userNamespaces)("unshare(CLONE_NEWUSER) and mount work unconfined (baseline)", () => {
    expect(tryUnconfined(["unshare-user"]).result).toBe("OK");
    const inNamespace = spawnSync("unshare", ["-Urm", tryBinary(), "mount", workspace], { encoding: "utf8", timeout: 10_000 });
    expect(inNamespace.stdout.trim()).toBe("OK");
  });

  it(`unshare(CLONE_NEWUSER) is refused (${SYSCALL_DENIED})`, async () => {
    expect(await tryConfined(workspace, ["unshare-user"])).toMatchObject({ result: SYSCALL_DENIED, exitCode: 1 });
  });

  it(`mounting a tmpfs on the workspace is refused (${SYSCALL_DENIED})`, async () => {
    expect(await tryConfined(workspace, ["mount", workspace])).toMatchObject({ result: SYSCALL_DENIED, exitCode: 1 });
  });

  it.runIf(process.arch === "x64")(`x32 system call numbers are refused (${SYSCALL_DENIED})`, async () => {
    expect(tryUnconfined(["x32-getpid"]).result).not.toBe(SYSCALL_DENIED);
    expect(await tryConfined(workspace, ["x32-getpid"])).toMatchObject({ result: SYSCALL_DENIED, exitCode: 1 });
  });

  it.runIf(INT80_AVAILABLE)("a 32-bit int $0x80 getpid kills the process (SIGSYS; skipped where int $0x80 faults even unconfined)", async () => {
    expect(await tryConfined(workspace, ["int80-getpid"])).toMatchObject({ result: "", exitCode: null, signal: "SIGSYS" });
  });

  it.runIf(INT80_AVAILABLE)("a 32-bit int $0x80 socketcall kills the process (SIGSYS)", async () => {
    expect(await tryConfined(workspace, ["int80-socketcall"])).toMatchObject({ result: "", exitCode: null, signal: "SIGSYS" });
  });
});
