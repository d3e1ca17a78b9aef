// The SBPL words a generated profile may use: operations and filters seen in
// Apple's /System/Library/Sandbox/Profiles, Chromium's and Codex's base
// policies and sandbox-runtime's generated profiles. A word outside it is a
// typo that sandbox_init would reject at run time, on macOS only.

export const OPERATIONS: ReadonlySet<string> = new Set([
  "default",
  "file*", "file-read*", "file-read-data", "file-read-metadata", "file-read-xattr", "file-test-existence",
  "file-write*", "file-write-create", "file-write-data", "file-write-flags", "file-write-mode", "file-write-owner",
  "file-write-setugid", "file-write-times", "file-write-unlink", "file-write-xattr",
  "file-ioctl", "file-map-executable", "file-link", "file-clone", "file-revoke", "file-search",
  "process*", "process-exec", "process-exec*", "process-fork", "process-info*", "process-info-pidinfo",
  "process-info-listpids", "process-info-codesignature", "signal", "mach-priv-task-port", "mach-task-name",
  "mach-lookup", "mach-register", "sysctl-read", "sysctl-write",
  "ipc-posix-sem", "ipc-posix-shm", "ipc-posix-shm-read-data", "ipc-posix-shm-write-data", "ipc-posix-shm-write-create",
  "user-preference-read", "user-preference-write", "pseudo-tty", "iokit-open", "iokit-get-properties",
  "network*", "network-inbound", "network-outbound", "network-bind", "system-socket",
]);

/** Filters and modifiers, with how many arguments each takes ("any" for combinators). */
export const FILTERS: ReadonlyMap<string, number | "any"> = new Map<string, number | "any">([
  ["literal", 1], ["subpath", 1], ["regex", 1], ["prefix", 1], ["path-literal", 1],
  ["param", 1], ["global-name", 1], ["sysctl-name", 1], ["sysctl-name-prefix", 1],
  ["target", 1], ["local", "any"], ["remote", "any"],
  ["require-all", "any"], ["require-any", "any"], ["require-not", 1],
  ["with", "any"], ["vnode-type", 1], ["socket-domain", 1],
]);

/** Symbols that stand as values (targets, modifiers, socket kinds in local/remote). */
export const SYMBOLS: ReadonlySet<string> = new Set(["same-sandbox", "message", "ip", "unix-socket", "CHARACTER-DEVICE", "AF_SYSTEM", "AF_UNIX"]);

/** The only path strings a profile may spell out: fixed system files, never the user's. */
export const FIXED_PATHS: ReadonlySet<string> = new Set(["/dev/ptmx", "/private/var/run/mDNSResponder"]);
