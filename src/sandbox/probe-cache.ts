// Keeps probe() results between CLI runs: the namespace test forks the whole
// Node process (~8 ms a run). The key holds everything that can change the
// answer without a reboot, so a stale "yes" can't outlive a sysctl change;
// and were it wrong anyway, the launcher fails closed (exit 125).
import fs = require("node:fs");
import os = require("node:os");
import path = require("node:path");

const KEY_FILES = [
  "/proc/sys/kernel/random/boot_id",
  "/proc/sys/user/max_user_namespaces",
  "/proc/sys/user/max_net_namespaces",
  "/proc/sys/kernel/unprivileged_userns_clone",
  "/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
];

function read(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return "-";
  }
}

/** What the probe's answer depends on: boot, kernel, sysctls, uid, and whether we already run under seccomp (nested). */
export function probeKey(): string {
  const status = read("/proc/self/status").split("\n").filter((line) => /^(Seccomp|NoNewPrivs):/.test(line));
  return [os.release(), String(process.getuid?.() ?? -1), ...KEY_FILES.map(read), ...status].join("|");
}

/** A private per-user directory for the cache, or undefined when it isn't ours alone. */
function cacheFile(): string | undefined {
  const uid = process.getuid?.() ?? -1;
  const dir = path.join(os.tmpdir(), `safe-sh-${uid}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch {
    // exists already: checked below
  }
  try {
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  return path.join(dir, "probe.json");
}

/** The cached facts for this key, if any. */
export function readCachedProbe<T>(key: string): T | undefined {
  const file = cacheFile();
  if (!file) return undefined;
  try {
    const entry = JSON.parse(fs.readFileSync(file, "utf8")) as { key: string; facts: T };
    return entry.key === key ? entry.facts : undefined;
  } catch {
    return undefined;
  }
}

/** Stores facts under key; failures are ignored (the cache is only a speed-up). */
export function writeCachedProbe<T>(key: string, facts: T): void {
  const file = cacheFile();
  if (!file) return;
  try {
    const temporary = `${file}.${process.pid}`;
    fs.writeFileSync(temporary, JSON.stringify({ key, facts }), { mode: 0o600 });
    fs.renameSync(temporary, file);
  } catch {
    // read-only /tmp, full disk: probe again next time
  }
}
