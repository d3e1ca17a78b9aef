// Say it before it hurts: one line before a run that is bound to fail in a
// known way (a network command without network, a workspace the caller can't
// write, a writable root that doesn't exist), and one after a refused host.
import fs = require("node:fs");
import os = require("node:os");
import path = require("node:path");
import type { Grant } from "../decide/types";
import type { ConnectionEvent } from "../net";
import type { Classification } from "../types";

/**
 * Package caches (relative to $HOME) that are created when a writable root
 * names one that doesn't exist yet: tools create them on first use anyway.
 */
const KNOWN_CACHES = [".npm", ".cache", ".cargo", "go", ".pnpm-store", ".yarn", ".bun", ".gradle", ".m2", ".node-gyp"];

/** Whether dir is one of the known caches, or inside one. */
export function isKnownCache(dir: string, home: string): boolean {
  return KNOWN_CACHES.some((name) => {
    const cache = path.join(home, name);
    return dir === cache || dir.startsWith(`${cache}/`);
  });
}

/**
 * The writable roots a run can use: a missing known cache is created, any
 * other missing root is left out with one notice (never a failure of every
 * command).
 */
export function usableRoots(roots: readonly string[], notify: (line: string) => void, home = os.homedir()): string[] {
  const usable: string[] = [];
  for (const root of roots) {
    if (fs.existsSync(root)) {
      usable.push(root);
    } else if (isKnownCache(path.resolve(root), home)) {
      fs.mkdirSync(root, { recursive: true, mode: 0o700 });
      usable.push(root);
    } else {
      notify(`safe-sh: warning: writable root ${root} does not exist; running without it (create it, or remove it from writable_roots)`);
    }
  }
  return usable;
}

/** Notices before a run: what will fail, and the setting that would change it. */
export function beforeRun(classification: Classification, grant: Grant, workspace: string, configFile: string): string[] {
  const lines: string[] = [];
  const reachesNetwork = classification.risk === "network" || classification.commands.some((command) => command.risk === "network");
  if (reachesNetwork && grant.network === "none") {
    const names = [...new Set(classification.commands.filter((command) => command.risk === "network").map((command) => command.argv[0]))].join(", ");
    lines.push(
      `safe-sh: note: ${names || "this command"} reaches the network, but network is "none" here: connections will fail. ` +
        `To allow hosts, set [network] mode = "allowlist" and allow = ["host", ...] in ${configFile}`,
    );
  }
  if (grant.sandbox === "workspace-write" && !writable(workspace)) {
    lines.push(`safe-sh: warning: commands will not be able to write the workspace ${workspace}: it belongs to another user or its mode forbids it (root has no override inside the sandbox); chown it to yourself or choose another --workspace`);
  }
  return lines;
}

/** Whether commands will be able to write dir from inside the sandbox. */
function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    return false;
  }
  // A root caller has no DAC override inside its user namespace: a workspace
  // owned by another uid (a tarball's files, a user's checkout) is read-only there.
  return process.getuid?.() !== 0 || fs.statSync(dir).uid === 0;
}

/** The one line for a connection the allowlist refused: the host and the setting in the file in use. */
export function refusedHost(event: ConnectionEvent, configFile: string): string | undefined {
  if (event.decision !== "deny") return undefined;
  const target = `${event.host}:${event.port}`;
  if (event.rule.startsWith("private:")) return `safe-sh: refused ${target}: it resolves to a ${event.rule.slice(8)} address; to allow it add "${event.host}" to [network] allow_private in ${configFile}`;
  if (event.rule === "invalid-host") return `safe-sh: refused ${event.host}: not a valid host name or address`;
  if (event.rule === "default" || event.rule.startsWith("ask:")) return `safe-sh: refused ${target}: not in the allowlist; to allow it add "${event.host}" to [network] allow in ${configFile}`;
  return `safe-sh: refused ${target}: the entry "${event.rule}" in [network] deny of ${configFile} names it`;
}
