// The Seatbelt profile (SBPL) of one run, generated from a canonical plan.
// Pure: the same input gives the same text. Paths never appear in the text;
// they are parameters (sandbox_init_with_parameters / sandbox-exec -D).
import path = require("node:path");
import { SafeShError } from "../../errors";
import type { NetworkMode } from "../../types";
import { MACH_SERVICES, NETWORK_MACH_SERVICES, SYSCTL_NAMES, SYSCTL_PREFIXES } from "./services";

export interface SeatbeltInput {
  /** Tags every deny (`with message`) so a violation in the unified log names its run. [A-Za-z0-9_-], 1-64 chars. */
  runId: string;
  network: NetworkMode;
  /** With network "allowlist": the proxy's TCP port on loopback, the only destination allowed. */
  proxyPort?: number;
  /** Canonical paths (see canonical.ts) beneath which everything may be written. */
  writeRoots: readonly string[];
  /** Canonical paths inside write roots that stay read-only, existing or not. */
  protect: readonly string[];
  /** Canonical paths neither readable nor writable: credential masks and the policy's deny_read. */
  denyRead: readonly string[];
  /** Canonical paths readable again beneath a deny-read path (the policy's allow_read). */
  allowRead: readonly string[];
  /** Canonical device nodes the command may write and ioctl (/dev/null, /dev/tty...). */
  devices: readonly string[];
}

export interface SeatbeltProfile {
  /** SBPL text; `(param "NAME")` wherever a path goes. */
  text: string;
  /** NAME, VALUE pairs in the order the text first uses them. */
  params: Array<[string, string]>;
}

const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

function checkPath(kind: string, value: string): void {
  // A relative, un-normalised or NUL-carrying path would never match what
  // the kernel resolves: a rule that silently does nothing. Refuse instead.
  const normal = value === "/" || (path.posix.isAbsolute(value) && path.posix.normalize(value) === value && !value.endsWith("/"));
  if (!normal || value.includes("\0")) {
    throw new SafeShError("ERR_SAFESH_USAGE", `Seatbelt ${kind} path ${JSON.stringify(value)} is not canonical`, "pass absolute paths resolved with realpath (see src/sandbox/darwin/canonical.ts)");
  }
}

const within = (p: string, root: string): boolean => p === root || p.startsWith(root === "/" ? "/" : `${root}/`);

/** Ancestors of `target`, nearest first, that lie at or beneath `root`. */
function ancestorsWithin(target: string, root: string): string[] {
  const found: string[] = [];
  for (let dir = path.posix.dirname(target); dir !== target && within(dir, root); target = dir, dir = path.posix.dirname(dir)) found.push(dir);
  return found;
}

class Params {
  readonly list: Array<[string, string]> = [];
  private readonly byValue = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  /** `(param "NAME")` for a path; one name per distinct path and kind. */
  ref(kind: string, value: string): string {
    checkPath(kind, value);
    const key = `${kind}\0${value}`;
    let name = this.byValue.get(key);
    if (!name) {
      const count = this.counts.get(kind) ?? 0;
      this.counts.set(kind, count + 1);
      name = `${kind}_${count}`;
      this.byValue.set(key, name);
      this.list.push([name, value]);
    }
    return `(param "${name}")`;
  }
}

const quote = (text: string): string => `"${text}"`;

function rule(verb: "allow" | "deny", operations: string, filters: readonly string[], message?: string): string[] {
  if (filters.length === 0) return [];
  const tail = message ? `\n  (with message ${quote(message)})` : "";
  return [`(${verb} ${operations}\n  ${filters.join("\n  ")}${tail})`];
}

/**
 * The profile for one run. Throws ERR_SAFESH_USAGE for a bad run id, a
 * non-canonical path, a protected path outside every write root, or an
 * allowlist without a proxy port.
 */
export function seatbeltProfile(input: SeatbeltInput): SeatbeltProfile {
  if (!RUN_ID.test(input.runId)) throw new SafeShError("ERR_SAFESH_USAGE", `run id ${JSON.stringify(input.runId)} is not [A-Za-z0-9_-]{1,64}`, "use randomId() for run ids");
  const port = input.proxyPort;
  if (input.network === "allowlist" && !(Number.isInteger(port) && port! >= 1 && port! <= 65535)) {
    throw new SafeShError("ERR_SAFESH_USAGE", "network allowlist without the proxy's loopback port", "start the proxy on TCP loopback first (macOS has no network namespaces)");
  }
  const tag = `safe-sh:${input.runId}`;
  const params = new Params();
  const roots = input.writeRoots.map((root) => ({ root, ref: params.ref("WRITABLE_ROOT", root) }));
  const out: string[] = [
    "(version 1)",
    `; safe-sh run ${input.runId}: every path is a parameter; the last matching rule wins.`,
    `(deny default (with message ${quote(tag)}))`,
    "",
    "; Processes: fork and exec anything readable; signals, process info and",
    "; task ports only among the sandbox's own processes (no ptrace of others).",
    "(allow process-exec process-fork)",
    "(allow signal process-info* mach-priv-task-port (target same-sandbox))",
    "",
    "; Reads everywhere, minus the deny-read paths below.",
    "(allow file-read* file-map-executable)",
    "",
    "; System services a shell, git, compilers and language runtimes need.",
    ...rule("allow", "mach-lookup", MACH_SERVICES.map(([name]) => `(global-name ${quote(name)})`)),
    ...rule("allow", "sysctl-read", [...SYSCTL_NAMES.map((name) => `(sysctl-name ${quote(name)})`), ...SYSCTL_PREFIXES.map((name) => `(sysctl-name-prefix ${quote(name)})`)]),
    "(allow ipc-posix-sem ipc-posix-shm user-preference-read pseudo-tty)",
    "(allow file-read* file-write* file-ioctl (literal \"/dev/ptmx\") (regex #\"^/dev/ttys[0-9]+$\"))",
    ...rule("allow", "file-write-data file-ioctl", input.devices.map((device) => `(literal ${params.ref("DEVICE", device)})`)),
    "",
    "; Writes: only beneath the writable roots (the workspace, the run's TMPDIR, extras).",
    "; Hard links and clones stay denied (file-link, file-clone): a link to a protected",
    "; file would be writable under its new name; tools fall back to copies.",
    ...rule("allow", "file-write*", roots.map(({ ref }) => `(subpath ${ref})`)),
  ];

  // Before the denials below: the last matching rule wins, so a masked socket
  // inside a writable root stays unreachable.
  out.push("", ...networkRules(input.network, port, roots.map(({ ref }) => ref)));

  const protectedFilters: string[] = [];
  const ancestorFilters = new Set<string>();
  for (const target of input.protect) {
    const owner = input.writeRoots.filter((root) => within(target, root));
    if (owner.length === 0) throw new SafeShError("ERR_SAFESH_USAGE", `protected path ${target} is outside every writable root`, "protected paths are relative to a writable root");
    protectedFilters.push(`(subpath ${params.ref("PROTECTED", target)})`);
    for (const root of owner) for (const dir of ancestorsWithin(target, root)) ancestorFilters.add(`(literal ${params.ref("PROTECTED_PARENT", dir)})`);
  }
  if (protectedFilters.length > 0) {
    out.push(
      "",
      "; Protected paths stay read-only inside writable roots, existing or not, and",
      "; none of their parents may be renamed or deleted (the path would be replaced):",
      "; every write to a parent itself is denied, whichever one rename checks.",
      ...rule("deny", "file-write*", protectedFilters, tag),
      ...rule("deny", "file-write*", [...ancestorFilters], tag),
    );
  }
  if (input.denyRead.length > 0) {
    const refs = input.denyRead.map((p) => params.ref("DENY_READ", p));
    out.push(
      "",
      "; Credentials and deny_read: neither readable, listable nor writable, and no",
      "; connecting to a socket among them (ssh-agent, docker.sock).",
      ...rule("deny", "file-read* file-write*", refs.map((ref) => `(subpath ${ref})`), tag),
      ...refs.flatMap((ref) => rule("deny", "network-outbound", [`(remote unix-socket (subpath ${ref}))`], tag)),
    );
  }
  if (input.allowRead.length > 0) {
    out.push("", "; allow_read: readable again beneath a deny-read path (never writable).", ...rule("allow", "file-read*", input.allowRead.map((p) => `(subpath ${params.ref("ALLOW_READ", p)})`)));
  }

  return { text: `${out.join("\n")}\n`, params: params.list };
}

function networkRules(network: NetworkMode, port: number | undefined, rootRefs: readonly string[]): string[] {
  // One rule per root: several unix-socket filters in one rule are not
  // reliably applied by Seatbelt (peers report it), one each always is.
  const ownSockets = [
    "; Unix sockets among the sandbox's own processes: only beneath writable roots.",
    "(allow system-socket (socket-domain AF_UNIX))",
    ...rootRefs.flatMap((ref) => [
      `(allow network-bind network-inbound (local unix-socket (subpath ${ref})))`,
      `(allow network-outbound (remote unix-socket (subpath ${ref})))`,
    ]),
  ];
  if (network === "none") {
    return ["; Network none: no IP sockets at all (macOS has no private loopback to offer).", ...ownSockets];
  }
  if (network === "allowlist") {
    return [
      "; Network allowlist: outbound only to the proxy's loopback port; it applies the",
      "; domain rules. A program ignoring HTTP(S)_PROXY is denied here, not routed.",
      ...ownSockets,
      `(allow network-outbound (remote ip ${quote(`localhost:${port}`)}))`,
    ];
  }
  return [
    "; Network full: the host's network, name resolution included.",
    "(allow network-outbound (remote ip \"*:*\"))",
    "(allow network-inbound network-bind (local ip \"*:*\"))",
    "(allow system-socket)",
    ...ownSockets,
    "(allow network-outbound (remote unix-socket (path-literal \"/private/var/run/mDNSResponder\")))",
    ...rule("allow", "mach-lookup", NETWORK_MACH_SERVICES.map(([name]) => `(global-name ${quote(name)})`)),
  ];
}
