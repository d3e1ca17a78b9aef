// Where the tests put files the sandbox must see: not under the host's /tmp,
// which the sandbox replaces with a private tmpfs.
import * as fs from "node:fs";
import * as os from "node:os";

function isHostTmp(dir: string): boolean {
  return dir === "/tmp" || dir.startsWith("/tmp/");
}

/**
 * Base of workspaces, "outside" dirs and a fallback build of the probe: one
 * filesystem, visible inside the sandbox. Under the host's /tmp an outside dir
 * would simply be absent inside (ENOENT) and could not show Landlock refusing
 * the write (EACCES). SAFE_SH_TEST_TMPDIR overrides.
 */
export const TEST_TMP_BASE =
  process.env.SAFE_SH_TEST_TMPDIR ?? (isHostTmp(fs.realpathSync(os.tmpdir())) && fs.existsSync("/var/tmp") ? "/var/tmp" : os.tmpdir());
