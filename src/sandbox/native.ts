// The only place that loads safe_sh.node. Loaded lazily: a CLI run that only
// prints help never pays for it.
import fs = require("node:fs");
import path = require("node:path");
import { version } from "../../package.json";
import { SafeShError } from "../errors";
import type { ProbeResult } from "../types";
import { landlockAbiCap } from "./abi-cap";
import { installedLauncher } from "./installed-launcher";
import { probeKey, readCachedProbe, writeCachedProbe } from "./probe-cache";
import { NEEDS_SPAWN_FALLBACK, resumeChildPipe, spawnWithChildProcess } from "./spawn-fallback";

import type { NativeAddon, RelayResult, RelaySpec } from "../../native/index";

export type { RelayResult, RelaySpec };
export type StdioMode = "inherit" | "pipe" | "ignore";
export type NativeSpawnSpec = Parameters<NativeAddon["spawn"]>[0];
/** The addon's tunnel relay (one thread, splice(2)); see native/linux/relay.h. */
export type NativeRelay = Pick<NativeAddon, "relayStart" | "relayAbort">;

let addon: NativeAddon | undefined;

/**
 * The package's root directory: the one holding binding.gyp, above this
 * file whether it runs from dist/sandbox/ (tsc) or dist/ (the CLI bundle).
 */
export function packageRoot(): string {
  for (let dir = __dirname, i = 0; i < 4; i++, dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "binding.gyp"))) return dir;
  }
  return path.resolve(__dirname, "..", "..");
}

function loadAddon(): NativeAddon {
  if (addon) return addon;
  // macOS's addon serves flock, sha256 and the launcher's path; its spawn and
  // relay answer ENOTSUP, so the callers below take their portable paths there.
  if (process.platform !== "linux" && process.platform !== "darwin") {
    throw new SafeShError(
      "ERR_SAFESH_UNSUPPORTED_PLATFORM",
      `the native sandbox is built for Linux and macOS only (this is ${process.platform})`,
      "run safe-sh on Linux or macOS; see docs/platforms.md",
    );
  }
  // build/Release when built from source (looked for first, as node-gyp-build
  // does: loading node-gyp-build cost every CLI start ~2 ms), else node-gyp-build
  // finds the matching prebuilds/<platform>-<arch>/node.napi.<libc>.node
  // (safe-sh-exec beside it).
  let file = "";
  try {
    const root = packageRoot();
    const built = path.join(root, "build", "Release", "safe_sh.node");
    file = fs.existsSync(built) ? built : (require("node-gyp-build") as { path(dir: string): string }).path(root);
    addon = require(file) as NativeAddon;
  } catch (cause) {
    throw new SafeShError(
      "ERR_SAFESH_NATIVE",
      file ? `cannot load ${file}` : `no prebuilt native part for ${process.platform}-${process.arch} and none built`,
      "build it from source: `npm rebuild safe-sh` (needs a C++ compiler, make and python3)",
      { cause },
    );
  }
  return addon;
}

let relayUnavailable = false;

/**
 * The addon's tunnel relay, or undefined where the addon cannot be loaded
 * (another platform, not built): the proxy then relays in JavaScript.
 */
export function nativeRelay(): NativeRelay | undefined {
  if (relayUnavailable || process.platform !== "linux") return undefined; // splice(2) is Linux's
  try {
    return loadAddon();
  } catch {
    relayUnavailable = true;
    return undefined;
  }
}

let cachedProbe: ProbeResult | undefined;

/**
 * What this machine enforces. Cached per process, and between processes
 * under a key of everything the answer depends on (see probe-cache.ts);
 * `fresh` measures again (doctor). Throws ERR_SAFESH_UNSUPPORTED_PLATFORM, ERR_SAFESH_NATIVE.
 */
export function probe(options: { fresh?: boolean } = {}): ProbeResult {
  if (cachedProbe && !options.fresh) return cachedProbe;
  const native = loadAddon();
  const key = probeKey();
  let facts = options.fresh ? undefined : readCachedProbe<Omit<ProbeResult, "launcherPath">>(key);
  if (!facts) {
    facts = native.probe();
    writeCachedProbe(key, facts);
  }
  const reasons = [...facts.reasons];
  const cap = landlockAbiCap();
  const landlockAbi = cap === undefined ? facts.landlockAbi : Math.min(facts.landlockAbi, cap);
  if (landlockAbi < facts.landlockAbi) reasons.push(`Landlock ABI capped at ${cap} by SAFE_SH_LANDLOCK_MAX_ABI (kernel has ${facts.landlockAbi})`);
  // The one `safe-sh setup apparmor` installed, when present: Ubuntu's
  // AppArmor lets only that path use user namespaces fully.
  let launcherPath: string | null = installedLauncher(version) ?? null;
  try {
    launcherPath ??= native.launcherPath();
  } catch (error) {
    reasons.push(`launcher: ${(error as Error).message}`);
  }
  cachedProbe = { ...facts, landlockAbi, reasons, launcherPath };
  return cachedProbe;
}

/** Absolute path of safe-sh-exec. Throws ERR_SAFESH_NATIVE when it is not built. */
export function launcherPath(): string {
  const found = probe().launcherPath;
  if (!found) throw new SafeShError("ERR_SAFESH_NATIVE", "safe-sh-exec is not built", "run `npm install` (or `npm run build`)");
  return found;
}

/** The package's own safe-sh-exec (beside the addon), never the installed one: what setup installs. Throws ERR_SAFESH_NATIVE. */
export function packageLauncherPath(): string {
  try {
    return loadAddon().launcherPath();
  } catch (cause) {
    if (cause instanceof SafeShError) throw cause;
    throw new SafeShError("ERR_SAFESH_NATIVE", "safe-sh-exec is not built", "run `npm install` (or `npm run build`)", { cause });
  }
}

/** Blocking flock(2): the kernel releases it when the holder dies. Throws ERR_SAFESH_NATIVE-coded errors with errno. */
export function flock(fd: number, mode: "exclusive" | "shared" | "unlock"): void {
  loadAddon().flock(fd, mode);
}

/**
 * posix_spawn through the addon, watched on Node's loop (pidfd + non-blocking
 * pipes): no fork of Node. `onData` returning false pauses that pipe until
 * resumePipe() (back-pressure). With `reportPipe`, the child's fd 3 is a pipe
 * read as index 3. `onClose` runs once the process has exited and
 * every piped output has ended. Returns the pid; throws ERR_SAFESH_NATIVE-coded
 * errors (nothing started) when the spawn fails.
 */
export function spawnNative(
  spec: NativeSpawnSpec,
  handlers: { onData(index: 1 | 2 | 3, chunk: Buffer): boolean | void; onEnd?(index: 0 | 1 | 2 | 3): void; onClose(exitCode: number | null, signal: number | null): void },
): number {
  if (NEEDS_SPAWN_FALLBACK) return spawnWithChildProcess(spec, handlers);
  const native = loadAddon();
  try {
    // onClose comes after every pipe's end; onEnd is for the report pipe (3), whose EOF means exec.
    return native.spawn(spec, (index, chunk) => handlers.onData(index as 1 | 2 | 3, chunk), (index) => handlers.onEnd?.(index as 0 | 1 | 2 | 3), handlers.onClose);
  } catch (error) {
    throw launchFailure(spec, error);
  }
}

/** A failed posix_spawn as a one-line SafeShError; E2BIG (argv + env past the kernel's limits) says what to do instead. */
function launchFailure(spec: NativeSpawnSpec, error: unknown): unknown {
  const { errno, syscall, message } = error as { errno?: number; syscall?: string; message?: string };
  if (typeof errno !== "number") return error; // a TypeError: the caller's bug, with its stack
  if (errno === (require("node:os") as typeof import("node:os")).constants.errno.E2BIG) {
    const bytes = [...spec.argv, ...spec.env].reduce((sum, word) => sum + Buffer.byteLength(word) + 1, 0);
    const longest = Math.max(...spec.argv.map((word) => Buffer.byteLength(word)));
    return new SafeShError(
      "ERR_SAFESH_NATIVE",
      `the command is too long to start: ${bytes} bytes of arguments and environment, the longest word ${longest} bytes (E2BIG)`,
      "Linux takes at most 128 KiB per word and about a quarter of the stack limit in all; pass large data through a file or stdin",
      { cause: error },
    );
  }
  return new SafeShError("ERR_SAFESH_NATIVE", `cannot start the launcher ${spec.file}: ${syscall ?? "spawn"}: ${message}`, "check free memory and process limits (ulimit -u), and that the launcher is built (`safe-sh doctor`)", { cause: error });
}

/** Reads a pipe of a spawnNative() child again after its onData returned false. */
export function resumePipe(pid: number, index: 1 | 2): void {
  if (NEEDS_SPAWN_FALLBACK) return resumeChildPipe(pid, index);
  loadAddon().resumePipe(pid, index);
}

/** isatty(3), on Linux without loading Node's tty module (and with it net and stream). */
export function isTerminal(fd: number): boolean {
  if (process.platform !== "linux") return (require("node:tty") as typeof import("node:tty")).isatty(fd);
  return loadAddon().isatty(fd);
}

/**
 * SHA-256 (hex) of the bytes: the addon's on Linux, where loading node:crypto
 * cost ~12 ms of every CLI start; node:crypto elsewhere (audit verify on a
 * machine without the addon). Both are checked against each other in tests.
 */
export function sha256Hex(bytes: string | Buffer): string {
  const buffer = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
  if (process.platform !== "linux") return (require("node:crypto") as typeof import("node:crypto")).createHash("sha256").update(buffer).digest("hex");
  return loadAddon().sha256(buffer);
}
