// Which launcher runs: the one `safe-sh setup apparmor` installed, only when
// it is root's alone and from this version.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installedLauncher } from "../../../src/sandbox/installed-launcher";

const IS_ROOT = process.getuid?.() === 0;

describe("installedLauncher", () => {
  let dir: string;
  let file: string;
  let stamp: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-installed-"));
    fs.chmodSync(dir, 0o755);
    file = path.join(dir, "safe-sh-exec");
    stamp = `${file}.version`;
    fs.writeFileSync(file, "", { mode: 0o755 });
    fs.writeFileSync(stamp, "1.2.3\n");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is undefined when nothing is installed", () => {
    expect(installedLauncher("1.2.3", path.join(dir, "absent"), stamp)).toBeUndefined();
  });

  it.runIf(IS_ROOT)("is the file when root owns it and the stamp names this version", () => {
    expect(installedLauncher("1.2.3", file, stamp)).toBe(file);
  });

  it.runIf(IS_ROOT)("is undefined for another version's launcher", () => {
    expect(installedLauncher("1.2.4", file, stamp)).toBeUndefined();
  });

  it.runIf(IS_ROOT)("is undefined when others may write the file or its directory", () => {
    fs.chmodSync(file, 0o775);
    expect(installedLauncher("1.2.3", file, stamp)).toBeUndefined();
    fs.chmodSync(file, 0o755);
    fs.chmodSync(dir, 0o777);
    expect(installedLauncher("1.2.3", file, stamp)).toBeUndefined();
  });

  it.runIf(!IS_ROOT)("is undefined when a user, not root, owns it", () => {
    expect(installedLauncher("1.2.3", file, stamp)).toBeUndefined();
  });
});
