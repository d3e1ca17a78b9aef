// The whole surface of safe_sh.node. Only src/sandbox/native.ts loads it.

export interface NativeProbe {
  platform: "linux";
  /** Landlock ABI of the running kernel; 0 when unavailable. */
  landlockAbi: number;
  /** seccomp filters can be installed. */
  seccomp: boolean;
  /** An unprivileged user namespace can be created. */
  userNamespaces: boolean;
  /** User + network namespaces can be created. */
  netNamespaces: boolean;
  /** One line per missing feature: the call that failed and its errno. */
  reasons: string[];
}

/** Thrown for failed system calls. */
export interface NativeError extends Error {
  code: "ERR_SAFESH_NATIVE";
  errno: number;
  syscall: string;
  path?: string;
}

export interface NativeAddon {
  /** What this kernel enforces, measured by trying. Throws TypeError (code ERR_INVALID_ARG_TYPE) when given arguments. */
  probe(): NativeProbe;
  /** Absolute path of safe-sh-exec next to the addon. Throws NativeError when it is missing. */
  launcherPath(): string;
  /** Blocking flock(2) on fd. Throws NativeError (e.g. EBADF); TypeError (code ERR_INVALID_ARG_TYPE) for bad arguments. */
  flock(fd: number, mode: "exclusive" | "shared" | "unlock"): void;
  /**
   * posix_spawn(spec.file) — no PATH lookup, no fork of Node — with stdio
   * inherited, piped or /dev/null, signal dispositions reset and nothing
   * blocked. The exit is watched through a pidfd and the pipes as
   * non-blocking fds on Node's loop. onData gets each chunk read from stdout
   * (1) or stderr (2), onEnd each pipe's EOF, onClose the exit code or signal
   * number once, after the exit and every EOF. Returns the pid. Throws
   * NativeError (posix_spawn, pidfd_open; nothing left running) or TypeError
   * (code ERR_INVALID_ARG_TYPE).
   */
  spawn(
    spec: { file: string; argv: string[]; env: string[]; cwd?: string; stdio: ["inherit" | "pipe" | "ignore", "inherit" | "pipe" | "ignore", "inherit" | "pipe" | "ignore"]; newSession?: boolean; input?: Buffer },
    onData: (index: number, chunk: Buffer) => void,
    onEnd: (index: number) => void,
    onClose: (exitCode: number | null, signal: number | null) => void,
  ): number;
  /** isatty(3): false for anything else, a closed fd included. Throws TypeError (code ERR_INVALID_ARG_TYPE) for a non-number. */
  isatty(fd: number): boolean;
  /** SHA-256 of the bytes, lower-case hex. Throws TypeError (code ERR_INVALID_ARG_TYPE) for anything but a Buffer. */
  sha256(bytes: Buffer): string;
  /** Version of the native core. */
  version: string;
}
