// Fixtures for the keyring-backed tests: which keyrings this machine has, a
// real Secret Service (gnome-keyring under dbus-run-session), the C probe.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REQUIRE_SANDBOX } from "../helpers/gate";

const DIST_STORE = path.join(__dirname, "..", "..", "dist", "secrets", "store.js");

function onPath(program: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" }).status === 0;
}

/** Whether openStore({ backend }) answers here, asked in a child (as the CLI would be). */
function backendWorks(backend: string): boolean {
  const script = `require(${JSON.stringify(DIST_STORE)}).openStore({ backend: ${JSON.stringify(backend)} }).then(() => process.exit(0), () => process.exit(1))`;
  return spawnSync(process.execPath, ["-e", script], { stdio: "ignore", timeout: 15_000, env: { ...process.env, SAFE_SH_KEYRING: "" } }).status === 0;
}

/** keyutils works (it needs no daemon), or SAFE_SH_REQUIRE_SANDBOX=1 makes its absence a failure. */
export const HAVE_KEYUTILS = REQUIRE_SANDBOX || (process.platform === "linux" && backendWorks("keyutils"));

/** The programs a private Secret Service needs: apt-get install gnome-keyring dbus dbus-x11 libsecret-tools. */
export const HAVE_SECRET_SERVICE_TOOLS =
  REQUIRE_SANDBOX || (process.platform === "linux" && ["dbus-run-session", "gnome-keyring-daemon", "secret-tool"].every(onPath));

/** A unique secret name, so runs never meet each other's entries (keyutils entries outlive the test). */
export function uniqueName(label: string): string {
  return `test-${label}-${process.pid}-${Date.now().toString(36)}`;
}

/** Compiles the keyring probe into dir and returns its path. */
export function keyringProbe(dir: string): string {
  const binary = path.join(dir, "keyring-probe");
  execFileSync("cc", ["-O2", "-Wall", "-Wextra", "-Werror", "-o", binary, path.join(__dirname, "fixtures", "keyring-probe.c")], { stdio: "pipe" });
  return binary;
}

/**
 * Runs `node script args...` inside a fresh D-Bus session (listening on
 * $XDG_RUNTIME_DIR/bus, where a desktop session's bus lives) with an unlocked
 * gnome-keyring. HOME and XDG_RUNTIME_DIR are `root`'s subdirs, so nothing
 * touches the user's real keyring. The bus and its daemons end with the script.
 */
export function inSecretService(root: string, script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const home = path.join(root, "home");
  const runtime = path.join(root, "run");
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const config = path.join(root, "bus.conf");
  fs.writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${runtime}/bus</listen>
  <standard_session_servicedirs/>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`,
  );
  // The keyring password only unlocks this throwaway login keyring.
  const start = 'printf test-keyring-password | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null && exec "$@"';
  const run = spawnSync("dbus-run-session", [`--config-file=${config}`, "--", "bash", "-c", start, "bash", process.execPath, script, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, XDG_RUNTIME_DIR: runtime },
  });
  return { status: run.status, stdout: run.stdout ?? "", stderr: run.stderr ?? "" };
}
