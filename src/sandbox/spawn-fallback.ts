// The addon's spawn() for runtimes whose N-API lacks libuv (Bun, Deno): the
// same contract through child_process, which forks the runtime but works.
import type { ChildProcess } from "node:child_process";
import os = require("node:os");
import { SafeShError } from "../errors";
import type { NativeSpawnSpec } from "./native";

/** True where the addon's spawn (uv_poll on the runtime's loop) is unavailable. */
export const NEEDS_SPAWN_FALLBACK = "bun" in process.versions || "deno" in process.versions;

/**
 * spawnNative's contract: pid returned, onData(1|2|3, chunk), onEnd(3) for the
 * report pipe, onClose(code, signal number) once after every stream ended.
 * onData's back-pressure (returning false) is not honoured here.
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
  child.stdout?.on("data", (chunk: Buffer) => handlers.onData(1, chunk));
  child.stderr?.on("data", (chunk: Buffer) => handlers.onData(2, chunk));
  const report = spec.reportPipe ? (child.stdio[3] as NodeJS.ReadableStream | null) : null;
  report?.on("data", (chunk: Buffer) => handlers.onData(3, chunk));
  report?.on("end", () => handlers.onEnd?.(3));
  child.stdin?.on("error", () => undefined); // EPIPE: the command exited without reading
  child.stdin?.end(spec.input ?? Buffer.alloc(0));
  child.on("close", (code, signal) => handlers.onClose(code, signal ? os.constants.signals[signal] : null));
  return child.pid;
}
