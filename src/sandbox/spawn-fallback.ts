// The addon's spawn() for runtimes whose N-API lacks libuv (Bun, Deno) and for
// macOS (whose addon has no spawn): the same contract through child_process.
import type { ChildProcess } from "node:child_process";
import os = require("node:os");
import { SafeShError } from "../errors";
import type { NativeSpawnSpec } from "./native";

/** True where the addon's spawn (uv_poll on the runtime's loop) is unavailable. */
export const NEEDS_SPAWN_FALLBACK = "bun" in process.versions || "deno" in process.versions;

/** The piped outputs of running children, for resumeChildPipe(). */
const outputs = new Map<number, { 1?: NodeJS.ReadableStream | null; 2?: NodeJS.ReadableStream | null }>();

/**
 * spawnNative's contract: pid returned, onData(1|2|3, chunk), onEnd(3) for the
 * report pipe, onClose(code, signal number) once after every stream ended.
 * onData returning false pauses that output until resumeChildPipe().
 */
export function spawnWithChildProcess(
  spec: NativeSpawnSpec,
  handlers: { onData(index: 1 | 2 | 3, chunk: Buffer): boolean | void; onEnd?(index: 0 | 1 | 2 | 3): void; onClose(exitCode: number | null, signal: number | null): void },
): number {
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  const env = Object.fromEntries(spec.env.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
  // child_process takes strings: here a word's bytes that are not UTF-8 are not kept.
  const argv = spec.argv.map(String);
  const child: ChildProcess = spawn(spec.file, argv.slice(1), {
    // With reportPipe, the launcher's report comes on fd 3, as the addon gives it.
    argv0: argv[0], env, stdio: spec.reportPipe ? [...spec.stdio, "pipe"] : spec.stdio, detached: spec.newSession ?? false, ...(spec.cwd ? { cwd: spec.cwd } : {}),
  });
  // A failed start is thrown below; its 'error' event must not crash the process.
  child.on("error", () => undefined);
  if (child.pid === undefined) {
    throw new SafeShError("ERR_SAFESH_NATIVE", `cannot start ${spec.file}`, "check that the launcher exists and is executable (safe-sh doctor)");
  }
  const pid = child.pid;
  // Paused, the stream stops reading: the child's writes block once the socket buffer is full.
  child.stdout?.on("data", (chunk: Buffer) => {
    if (handlers.onData(1, chunk) === false) child.stdout?.pause();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    if (handlers.onData(2, chunk) === false) child.stderr?.pause();
  });
  outputs.set(pid, { 1: child.stdout, 2: child.stderr });
  const report = spec.reportPipe ? (child.stdio[3] as NodeJS.ReadableStream | null) : null;
  report?.on("data", (chunk: Buffer) => handlers.onData(3, chunk));
  report?.on("end", () => handlers.onEnd?.(3));
  child.stdin?.on("error", () => undefined); // EPIPE: the command exited without reading
  child.stdin?.end(spec.input ?? Buffer.alloc(0));
  child.on("close", (code, signal) => {
    outputs.delete(pid);
    handlers.onClose(code, signal ? os.constants.signals[signal] : null);
  });
  return pid;
}

/** Reads a spawnWithChildProcess() child's output again after its onData returned false. */
export function resumeChildPipe(pid: number, index: 1 | 2): void {
  outputs.get(pid)?.[index]?.resume();
}
