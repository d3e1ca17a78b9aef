// The addon's spawn(): posix_spawn watched on Node's loop. What child_process
// guarantees must hold here too: output complete and in order, exit codes and
// signals, stdin fed then closed, clean signal state, nothing leaked, no
// threadpool starvation under many concurrent children.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { NativeAddon } from "../../native/index";
import { REQUIRE_SANDBOX } from "../helpers/gate";

const ADDON_PATH = path.join(__dirname, "..", "..", "build", "Release", "safe_sh.node");
const addon = (): NativeAddon => require(ADDON_PATH) as NativeAddon; // eslint-disable-line @typescript-eslint/no-require-imports

type Stdio = "inherit" | "pipe" | "ignore";
interface Ended {
  pid: number;
  out: Buffer;
  err: Buffer;
  exitCode: number | null;
  signal: number | null;
  events: string[];
}

/** Runs `script` under /bin/sh through addon.spawn and collects everything it reports. */
function run(script: string, options: { input?: string; stdio?: [Stdio, Stdio, Stdio]; cwd?: string; env?: string[]; newSession?: boolean; args?: string[] } = {}): Promise<Ended> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const events: string[] = [];
    const pid = addon().spawn(
      {
        file: "/bin/sh",
        argv: ["sh", "-c", script, "sh", ...(options.args ?? [])],
        env: options.env ?? ["PATH=/usr/bin:/bin"],
        ...(options.cwd ? { cwd: options.cwd } : {}),
        stdio: options.stdio ?? ["pipe", "pipe", "pipe"],
        newSession: options.newSession ?? false,
        ...(options.input !== undefined ? { input: Buffer.from(options.input) } : {}),
      },
      (index, chunk) => (index === 1 ? out : err).push(chunk),
      (index) => events.push(`end${index}`),
      (exitCode, signal) => {
        events.push("close");
        resolve({ pid, out: Buffer.concat(out), err: Buffer.concat(err), exitCode, signal, events });
      },
    );
  });
}

function openFds(): number {
  return fs.readdirSync("/proc/self/fd").length;
}

describe.runIf(process.platform === "linux" || REQUIRE_SANDBOX)("addon spawn()", () => {
  it("collects stdout and stderr separately, complete, and reports the exit code after both ended", async () => {
    const result = await run("head -c 300000 /dev/zero | tr '\\0' a; echo oops >&2; exit 7");
    expect(result.out.length).toBe(300000);
    expect(result.out.every((byte) => byte === 0x61)).toBe(true);
    expect(result.err.toString()).toBe("oops\n");
    expect(result.exitCode).toBe(7);
    expect(result.signal).toBeNull();
    expect(result.events.slice(-1)).toEqual(["close"]);
    expect(result.events).toContain("end1");
    expect(result.events).toContain("end2");
  });

  it("feeds stdin then closes it, even when the input is larger than a pipe buffer", async () => {
    const input = "x".repeat(1 << 20);
    const result = await run("wc -c", { input });
    expect(result.out.toString().trim()).toBe(String(input.length));
    const empty = await run("cat; echo done", { input: "" });
    expect(empty.out.toString()).toBe("done\n");
  });

  it("survives a command that exits without reading its input (EPIPE)", async () => {
    const result = await run("exit 0", { input: "y".repeat(4 << 20) });
    expect(result.exitCode).toBe(0);
  });

  it("reports a signal death as the signal number and no exit code", async () => {
    const result = await run("kill -KILL $$");
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe(os.constants.signals.SIGKILL);
  });

  it("gives the child default signal dispositions and an empty mask (Node ignores SIGPIPE)", async () => {
    const result = await run("grep -E '^(SigIgn|SigBlk)' /proc/self/status");
    expect(result.out.toString()).toMatch(/SigBlk:\s+0+\n/);
    // glibc's posix_spawn leaves its two internal signals (32, 33) ignored;
    // glibc re-arms them in every program it starts. The 31 others: default.
    const ignored = BigInt(`0x${/SigIgn:\s+([0-9a-f]+)/.exec(result.out.toString())?.[1]}`);
    expect(ignored & 0x7fffffffn).toBe(0n);
  });

  it("uses exactly the given env, argv and cwd", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-spawn-"));
    try {
      const result = await run('pwd; echo "$1|$2"; env | sort', { cwd: dir, env: ["A=1", "PATH=/usr/bin:/bin"], args: ["x y", ""] });
      const physical = fs.realpathSync(dir);
      expect(result.out.toString().split("\n").slice(0, 2)).toEqual([physical, "x y|"]);
      expect(result.out.toString()).toMatch(/^A=1$/m);
      expect(result.out.toString()).not.toMatch(/^HOME=/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("passes inherited and ignored stdio through: /dev/null reads empty", async () => {
    const result = await run("cat; echo end", { stdio: ["ignore", "pipe", "pipe"] });
    expect(result.out.toString()).toBe("end\n");
  });

  it("starts a new session only when asked", async () => {
    const own = await run("ps -o sid= -p $$", { newSession: true });
    expect(Number(own.out.toString().trim())).toBe(own.pid);
    const shared = await run("ps -o sid= -p $$");
    expect(Number(shared.out.toString().trim())).not.toBe(shared.pid);
  });

  it("runs 60 children at once without starving libuv's threadpool, and leaks no fd", async () => {
    const before = openFds();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => run(`cat; echo ${i}`, { input: `in${i}\n` })));
    results.forEach((result, i) => expect(result.out.toString()).toBe(`in${i}\n${i}\n`));
    // A threadpool job still completes promptly: nothing is parked there.
    await fs.promises.readFile("/proc/self/status");
    expect(openFds()).toBe(before);
  });

  it("throws a NativeError and starts nothing when the program cannot be spawned", () => {
    let error: (Error & Record<string, unknown>) | undefined;
    const before = openFds();
    try {
      addon().spawn({ file: "/nonexistent/prog", argv: ["prog"], env: [], stdio: ["pipe", "pipe", "pipe"] }, () => undefined, () => undefined, () => undefined);
    } catch (caught) {
      error = caught as Error & Record<string, unknown>;
    }
    expect(error?.code).toBe("ERR_SAFESH_NATIVE");
    expect(error?.syscall).toBe("posix_spawn");
    expect(error?.errno).toBe(os.constants.errno.ENOENT);
    expect(openFds()).toBe(before);
  });

  it("becomes a SafeShError with a hint through spawnNative (the CLI prints it instead of an internal error)", async () => {
    const { spawnNative } = await import("../../dist/sandbox/native.js");
    let error: unknown;
    try {
      spawnNative({ file: "/nonexistent/prog", argv: ["prog"], env: [], stdio: ["pipe", "pipe", "pipe"] }, { onData: () => undefined, onClose: () => undefined });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ name: "SafeShError", code: "ERR_SAFESH_NATIVE", exitCode: 125 });
    expect((error as { hint: string }).hint).toBeTruthy();
    expect((error as Error).message).toMatch(/posix_spawn/);
  });

  it.each([
    ["no arguments", []],
    ["a non-string argv", [{ file: "/bin/true", argv: [1], env: [], stdio: ["pipe", "pipe", "pipe"] }, () => 0, () => 0, () => 0]],
    ["an unknown stdio mode", [{ file: "/bin/true", argv: ["true"], env: [], stdio: ["pipe", "tty", "pipe"] }, () => 0, () => 0, () => 0]],
    ["an empty argv", [{ file: "/bin/true", argv: [], env: [], stdio: ["pipe", "pipe", "pipe"] }, () => 0, () => 0, () => 0]],
    ["a string input", [{ file: "/bin/true", argv: ["true"], env: [], stdio: ["pipe", "pipe", "pipe"], input: "x" }, () => 0, () => 0, () => 0]],
  ])("rejects %s with a TypeError", (_label, args) => {
    expect(() => (addon().spawn as (...a: unknown[]) => number)(...(args as unknown[]))).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARG_TYPE" }));
  });

  it.each([
    ["file", { file: "/bin/touch\0x" }],
    ["an argv entry", { argv: ["touch", "MARK\0ignored"] }],
    ["an env entry", { env: ["PATH=/usr/bin:/bin", "X=a\0b"] }],
    ["cwd", { cwd: "/\0tmp" }],
  ])("refuses a NUL byte in %s (ERR_INVALID_ARG_VALUE) and starts nothing", (_label, change) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-nul-"));
    try {
      const spec = { file: "/bin/touch", argv: ["touch", "MARK"], env: ["PATH=/usr/bin:/bin"], cwd: dir, stdio: ["ignore", "ignore", "ignore"] as Stdio[], ...change };
      expect(() => addon().spawn(spec as Parameters<NativeAddon["spawn"]>[0], () => undefined, () => undefined, () => undefined)).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_ARG_VALUE" }),
      );
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs the same spec without the NUL byte (the marker command works)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-nul-"));
    try {
      const ended = await run("touch MARK", { cwd: dir });
      expect(ended.exitCode).toBe(0);
      expect(fs.readdirSync(dir)).toEqual(["MARK"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
