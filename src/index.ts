// Public exports of the safe-sh library.
export { SafeShell, shellArgv, type SpawnOptions } from "./run";
export { SafeShError, type ErrorCode, EXIT_FAILED, EXIT_REFUSED, EXIT_NOT_FOUND } from "./errors";
export { probe } from "./sandbox/native";
export { scrubEnv, isScrubbed } from "./secrets/env";
export type { NetworkMode, ProbeResult, RunOptions, RunResult, SandboxMode, SandboxOptions } from "./types";
