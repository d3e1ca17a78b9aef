// setup apparmor's file work, with a stand-in apparmor_parser that records its
// arguments: launcher + stamp + profile written with the right modes, removed again.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installAppArmor, profileText, uninstallAppArmor, userNamespacesRestricted, type AppArmorPaths } from "../../../src/setup/apparmor";

describe("setup apparmor", () => {
  let root: string;
  let paths: AppArmorPaths;
  let source: string;
  const calls = () => fs.readFileSync(path.join(root, "calls"), "utf8").trim().split("\n");

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-apparmor-"));
    source = path.join(root, "built-launcher");
    fs.writeFileSync(source, "#!/bin/sh\necho launcher\n", { mode: 0o700 });
    const parser = path.join(root, "apparmor_parser");
    fs.writeFileSync(parser, `#!/bin/sh\necho "$*" >> "${root}/calls"\n[ "$1" != "--fail" ]\n`, { mode: 0o755 });
    paths = {
      launcher: path.join(root, "libexec", "safe-sh", "safe-sh-exec"),
      stamp: path.join(root, "libexec", "safe-sh", "safe-sh-exec.version"),
      profile: path.join(root, "apparmor.d", "safe-sh-exec"),
      parser,
    };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("installs the launcher (0755), the version stamp and the profile, then loads it with -r", () => {
    installAppArmor(source, "9.8.7", paths);
    expect(fs.readFileSync(paths.launcher, "utf8")).toBe(fs.readFileSync(source, "utf8"));
    expect(fs.statSync(paths.launcher).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.dirname(paths.launcher)).mode & 0o777).toBe(0o755);
    expect(fs.readFileSync(paths.stamp, "utf8")).toBe("9.8.7\n");
    expect(fs.readFileSync(paths.profile, "utf8")).toBe(profileText());
    expect(calls()).toEqual([`-r -W ${paths.profile}`]);
  });

  it("unloads the profile with -R and removes every file it wrote", () => {
    installAppArmor(source, "9.8.7", paths);
    uninstallAppArmor(paths);
    expect(calls()).toEqual([`-r -W ${paths.profile}`, `-R ${paths.profile}`]);
    for (const file of [paths.launcher, paths.stamp, paths.profile, path.dirname(paths.launcher)]) expect(fs.existsSync(file)).toBe(false);
  });

  it("fails with ERR_SAFESH_USAGE when apparmor_parser is missing", () => {
    expect(() => installAppArmor(source, "9.8.7", { ...paths, parser: path.join(root, "absent") })).toThrow(expect.objectContaining({ code: "ERR_SAFESH_USAGE" }));
  });

  it("the profile grants userns to the fixed path only", () => {
    expect(profileText()).toMatch(/^profile safe-sh-exec \/usr\/local\/libexec\/safe-sh\/safe-sh-exec flags=\(unconfined\) \{$/m);
    expect(profileText()).toMatch(/^ {2}userns,$/m);
  });
});

describe("userNamespacesRestricted", () => {
  let file: string;
  beforeEach(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-sysctl-")), "restrict");
  });
  afterEach(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

  it("is true only when the sysctl reads 1", () => {
    fs.writeFileSync(file, "1\n");
    expect(userNamespacesRestricted({ SAFE_SH_APPARMOR_SYSCTL: file })).toBe(true);
    fs.writeFileSync(file, "0\n");
    expect(userNamespacesRestricted({ SAFE_SH_APPARMOR_SYSCTL: file })).toBe(false);
    expect(userNamespacesRestricted({ SAFE_SH_APPARMOR_SYSCTL: path.join(path.dirname(file), "absent") })).toBe(false);
  });
});
