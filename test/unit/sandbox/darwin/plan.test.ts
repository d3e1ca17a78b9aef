// The darwin plan builder and launcher argv, run on any platform with the
// host mocked as macOS: /tmp and /var are symlinks into /private there.
import fs = require("node:fs");
import os = require("node:os");
import path = require("node:path");
import { afterAll, describe, expect, it } from "vitest";
import { canonicalPath } from "../../../../src/sandbox/darwin/canonical";
import { darwinLauncherArgs } from "../../../../src/sandbox/darwin/launcher-args";
import { buildDarwinPlan, type DarwinHost } from "../../../../src/sandbox/darwin/plan";
import { seatbeltProfile } from "../../../../src/sandbox/darwin/profile";
import { checkProfile } from "./sbpl-check";

// Fixtures live in a real directory; the mocked realpath adds macOS's
// /private prefix, so every path the plan uses must have gone through it.
const root = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-darwin-"));
const workspace = path.join(root, "project");
const tmpdir = path.join(root, "run-tmp");
const home = path.join(root, "home");
for (const dir of [workspace, tmpdir, home, path.join(workspace, ".git", "hooks"), path.join(home, ".ssh")]) fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(workspace, ".git", "config"), "");
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const realRoot = fs.realpathSync.native(root);
const macRealpath = (p: string): string => {
  const real = fs.realpathSync.native(p.startsWith("/private/") ? p.slice("/private".length) : p);
  return real.startsWith(realRoot) ? `/private${real}` : real;
};
const host: DarwinHost = { realpath: macRealpath, isDirectory: (p) => fs.statSync(p.replace(/^\/private/, "")).isDirectory(), exists: (p) => p === "/dev/null" || p === "/dev/dtracehelper", home };
const mac = (p: string) => macRealpath(p);

describe("canonicalPath", () => {
  const links: Record<string, string> = { "/tmp": "/private/tmp", "/tmp/a": "/private/tmp/a", "/": "/" };
  const realpath = (p: string) => {
    if (links[p]) return links[p]!;
    throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
  };
  it("resolves the deepest existing ancestor and keeps the missing rest", () => {
    expect(canonicalPath("/tmp/a/b/c", realpath)).toBe("/private/tmp/a/b/c");
  });
  it("normalises dots before resolving", () => {
    expect(canonicalPath("/tmp/x/../a", realpath)).toBe("/private/tmp/a");
  });
  it("leaves a path with no existing ancestor but / as written", () => {
    expect(canonicalPath("/nowhere/x", realpath)).toBe("/nowhere/x");
  });
});

describe("buildDarwinPlan", () => {
  const plan = buildDarwinPlan({ workspace, tmpdir, runId: "r1", env: { PATH: "/usr/bin", HOME: home, GITHUB_TOKEN: "x", SSH_AUTH_SOCK: path.join(home, "agent.sock") } }, host);

  it("writes only the canonical TMPDIR and workspace", () => {
    expect(plan.writeRoots).toEqual([mac(tmpdir), mac(workspace)]);
    expect(plan.seatbelt.writeRoots).toEqual(plan.writeRoots);
  });

  it("protects existing and missing protected paths alike (Seatbelt denies creating them)", () => {
    expect(plan.seatbelt.protect).toEqual(expect.arrayContaining([mac(path.join(workspace, ".git", "hooks")), mac(path.join(workspace, ".git", "config")), `${mac(workspace)}/.bashrc`]));
    expect(plan.sweep).toEqual([]);
  });

  it("masks the shared credential list, macOS stores and the ssh-agent socket", () => {
    expect(plan.seatbelt.denyRead).toEqual(expect.arrayContaining([mac(path.join(home, ".ssh")), `${mac(home)}/Library/Keychains`, `${mac(home)}/agent.sock`]));
  });

  it("keeps the macOS stores masked when the caller extends the list (the CLI adds its audit dir)", () => {
    const extended = buildDarwinPlan({ workspace, tmpdir, runId: "r1", env: {}, maskedPaths: [".ssh", path.join(home, "audit")] }, host);
    expect(extended.seatbelt.denyRead).toEqual(expect.arrayContaining([`${mac(home)}/audit`, `${mac(home)}/Library/Keychains`]));
  });

  it("scrubs secrets and points TMPDIR at the private directory", () => {
    expect(plan.env.GITHUB_TOKEN).toBeUndefined();
    expect(plan.droppedEnv).toContain("GITHUB_TOKEN");
    expect(plan.env.TMPDIR).toBe(`${mac(tmpdir)}/`);
  });

  it("keeps only devices that exist", () => {
    expect(plan.seatbelt.devices).toEqual(["/dev/null", "/dev/dtracehelper"]);
  });

  it("takes the policy's deny_read and allow_read, relative to $HOME", () => {
    const withRules = buildDarwinPlan({ workspace, tmpdir, runId: "r1", env: {}, denyRead: [".config"], allowRead: [".config/git"] }, host);
    expect(withRules.seatbelt.denyRead).toContain(`${mac(home)}/.config`);
    expect(withRules.seatbelt.allowRead).toEqual([`${mac(home)}/.config/git`]);
  });

  it("sends the allowlist through the proxy's loopback port", () => {
    const allow = buildDarwinPlan({ workspace, tmpdir, runId: "r1", env: {}, network: "allowlist", proxyPort: 40123 }, host);
    expect(allow.seatbelt.proxyPort).toBe(40123);
    expect(allow.env.HTTPS_PROXY).toBe("http://127.0.0.1:40123");
  });

  it("refuses an allowlist without a proxy (ERR_SAFESH_USAGE) and a missing workspace (ERR_SAFESH_WORKSPACE)", () => {
    expect(() => buildDarwinPlan({ workspace, tmpdir, runId: "r1", env: {}, network: "allowlist" }, host)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_USAGE" }));
    expect(() => buildDarwinPlan({ workspace: path.join(root, "missing"), tmpdir, runId: "r1", env: {} }, host)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_WORKSPACE" }));
  });

  it("read-only writes only the TMPDIR; full-access writes / but still not protected paths", () => {
    expect(buildDarwinPlan({ workspace, tmpdir, runId: "r1", env: {}, sandbox: "read-only" }, host).writeRoots).toEqual([mac(tmpdir)]);
    const full = buildDarwinPlan({ workspace, tmpdir, runId: "r1", env: {}, sandbox: "full-access" }, host);
    expect(full.writeRoots).toEqual(["/"]);
    expect(full.seatbelt.protect).toEqual([]);
  });

  it("gives a profile that passes the structural check and an argv with the same flags as Linux", () => {
    const profile = seatbeltProfile(plan.seatbelt);
    expect(checkProfile(profile.text, profile.params)).toEqual([]);
    const args = darwinLauncherArgs(plan, profile, ["bash", "-c", "true"]);
    expect(args.slice(0, 6)).toEqual(["--rw", mac(tmpdir), "--rw", mac(workspace), "--network", "none"]);
    expect(args[args.indexOf("--seatbelt-profile") + 1]).toBe(profile.text);
    expect(args.filter((a) => a === "--seatbelt-param")).toHaveLength(profile.params.length);
    expect(args.slice(-6)).toEqual(["--chdir", mac(workspace), "--", "bash", "-c", "true"]);
  });
});
