// The whole surface of safe_sh.node. Only src/sandbox/native.ts loads it.

export interface NativeProbe {
  /** "darwin" for the macOS build, where the Linux facts are all absent (ENOSYS). */
  platform: "linux" | "darwin";
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

/** One tunnel for the relay thread: fds of two connected stream sockets (duplicated, so the caller may destroy its sockets). */
export interface RelaySpec {
  client: number;
  upstream: number;
  /** Written to the client before any relayed byte (the CONNECT/SOCKS5 reply, bytes already read from the upstream). */
  toClient?: Buffer;
  /** Written to the upstream before any relayed byte (the CONNECT head, bytes already read from the client). */
  toUpstream?: Buffer;
  /** No traffic either way for this long closes the tunnel (error ETIMEDOUT); 0 never. */
  idleMs: number;
}

/** Bytes each way when a tunnel closed. */
export interface RelayResult {
  /** From the client / to the upstream (toUpstream included). */
  upRead: number;
  upWritten: number;
  /** From the upstream / to the client (toClient included). */
  downRead: number;
  downWritten: number;
  /** errno name when it did not end by both sides closing: ECONNRESET, EPIPE, ETIMEDOUT (idle), ECANCELED (relayAbort). */
  error?: string;
}

export interface NativeAddon {
  /**
   * Relays a tunnel on the addon's relay thread (splice(2), one thread for all tunnels); `done` runs
   * once, on the JS thread. Throws NativeError (dup, pipe2, epoll_create1); TypeError (code ERR_INVALID_ARG_TYPE) for bad arguments.
   */
  relayStart(spec: RelaySpec, done: (result: RelayResult) => void): number;
  /** Closes both sockets of a tunnel; its `done` reports ECANCELED. Unknown ids are ignored. */
  relayAbort(id: number): void;
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
   * (1) or stderr (2) — and, with reportPipe, from a pipe on the child's fd 3
   * (3) — onEnd each pipe's EOF, onClose the exit code or signal
   * number once, after the exit and every EOF (both null when the status was
   * lost, e.g. SIGCHLD ignored: a failure, never a success). onData returning
   * false pauses that pipe until resumePipe(). An argv word may be a Buffer:
   * its exact bytes reach execve (one holding a NUL is a TypeError). Returns the pid. Throws
   * NativeError (posix_spawn, pidfd_open; nothing left running) or TypeError
   * (code ERR_INVALID_ARG_TYPE).
   */
  spawn(
    spec: { file: string; argv: (string | Buffer)[]; env: string[]; cwd?: string; stdio: ["inherit" | "pipe" | "ignore", "inherit" | "pipe" | "ignore", "inherit" | "pipe" | "ignore"]; newSession?: boolean; input?: Buffer; reportPipe?: boolean },
    onData: (index: number, chunk: Buffer) => boolean | void,
    onEnd: (index: number) => void,
    onClose: (exitCode: number | null, signal: number | null) => void,
  ): number;
  /** Reads a pipe of a spawn() child again after its onData returned false (back-pressure). Ignored once the child is gone. Throws TypeError (code ERR_INVALID_ARG_TYPE). */
  resumePipe(pid: number, index: 1 | 2): void;
  /** isatty(3): false for anything else, a closed fd included. Throws TypeError (code ERR_INVALID_ARG_TYPE) for a non-number. */
  isatty(fd: number): boolean;
  /** SHA-256 of the bytes, lower-case hex. Throws TypeError (code ERR_INVALID_ARG_TYPE) for anything but a Buffer. */
  sha256(bytes: Buffer): string;
  /** Version of the native core. */
  version: string;
}
