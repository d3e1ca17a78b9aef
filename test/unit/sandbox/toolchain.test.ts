// The toolchain part of a plan: when $HOME gets a throwaway layer, which
// caches are bound from where, and which config files are bound filtered.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { launcherArgs } from "../../../src/sandbox/linux";
import { buildPlan } from "../../../src/sandbox/plan";
import { PACKAGE_CACHES, cacheRoot, planToolchain, removeFilteredCopies, workspaceCacheDir } from "../../../src/sandbox/toolchain";
import type { ProbeResult } from "../../../src/types";
import { TEST_TMP_BASE } from "../../helpers/paths";

const full: ProbeResult = { platform: "linux", landlockAbi: 7, seccomp: true, userNamespaces: true, netNamespaces: true, reasons: [], launcherPath: "/x/safe-sh-exec" };

let home: string;
let workspace: string;
beforeEach(() => {
  // Not under /tmp: a home there is hidden by the private /tmp and gets no layer.
  home = fs.realpathSync(fs.mkdtempSync(path.join(TEST_TMP_BASE, "toolchain-home-")));
  workspace = fs.realpathSync(fs.mkdtempSync(path.join(TEST_TMP_BASE, "toolchain-ws-")));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(workspace, { recursive: true, force: true });
});

describe("planToolchain", () => {
  it("layers the home and binds each package cache from the workspace's own cache dir", () => {
    const plan = planToolchain({ HOME: home }, workspace, ["/tmp", workspace], true);
    const caches = workspaceCacheDir(path.join(home, ".cache", "safe-sh"), workspace);
    expect(plan.homeLayer).toBe(home);
    expect(plan.binds).toEqual(PACKAGE_CACHES.map((cache) => ({ source: path.join(caches, cache.name), target: path.join(home, cache.path) })));
    for (const bind of plan.binds) expect(fs.statSync(bind.source).isDirectory()).toBe(true);
  });

  it("gives another workspace other cache dirs", () => {
    const other = planToolchain({ HOME: home }, `${workspace}-other`, ["/tmp"], true);
    const mine = planToolchain({ HOME: home }, workspace, ["/tmp"], true);
    expect(other.binds[0]!.source).not.toBe(mine.binds[0]!.source);
  });

  it("prunes the caches of workspaces that no longer exist when a new workspace gets its own", () => {
    const root = cacheRoot({}, home);
    const gone = path.join(TEST_TMP_BASE, "toolchain-gone-workspace");
    const goneDir = workspaceCacheDir(root, gone);
    fs.mkdirSync(goneDir, { recursive: true });
    fs.writeFileSync(path.join(goneDir, "workspace"), gone);
    const kept = planToolchain({ HOME: home }, workspace, ["/tmp"], true).binds[0]!.source;
    planToolchain({ HOME: home }, `${workspace}-second`, ["/tmp"], true);
    expect(fs.existsSync(goneDir)).toBe(false);
    expect(fs.existsSync(kept)).toBe(true);
  });

  it.each([
    ["the home is a writable root", (ws: string) => [ws, home]],
    ["the whole tree is writable (full-access)", () => ["/"]],
  ])("adds no layer and no caches when %s", (_label, roots) => {
    const plan = planToolchain({ HOME: home }, workspace, roots(workspace), true);
    expect(plan).toEqual({ binds: [], filtered: [] });
  });

  it("adds no layer and no caches when turned off", () => {
    expect(planToolchain({ HOME: home }, workspace, ["/tmp"], false)).toEqual({ binds: [], filtered: [] });
  });

  it("skips a cache whose path crosses a symlink (a mount would follow it out of $HOME)", () => {
    const elsewhere = fs.mkdtempSync(path.join(TEST_TMP_BASE, "toolchain-elsewhere-"));
    try {
      fs.symlinkSync(elsewhere, path.join(home, ".cache"));
      const targets = planToolchain({ HOME: home }, workspace, ["/tmp"], true).binds.map((bind) => bind.target);
      expect(targets).toContain(path.join(home, ".npm"));
      expect(targets.filter((target) => target.startsWith(path.join(home, ".cache")))).toEqual([]);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("binds a filtered copy (mode 0600, in safe-sh's cache dir) over ~/.npmrc", () => {
    fs.writeFileSync(path.join(home, ".npmrc"), "registry=https://r.example/\n//r.example/:_authToken=SECRET\n");
    const plan = planToolchain({ HOME: home }, workspace, ["/tmp"], true);
    const bind = plan.binds.find((b) => b.target === path.join(home, ".npmrc"))!;
    expect(plan.filtered).toEqual([".npmrc"]);
    expect(bind.source.startsWith(path.join(cacheRoot({}, home), "filtered"))).toBe(true);
    expect(fs.readFileSync(bind.source, "utf8")).toBe("registry=https://r.example/\n");
    expect(fs.statSync(bind.source).mode & 0o777).toBe(0o600);
  });
});

describe("buildPlan with a home layer", () => {
  it("keeps no persistent caches for a read-only run: its writes must not outlive it", () => {
    const plan = buildPlan({ workspace, sandbox: "read-only", env: { PATH: "/usr/bin", HOME: home } }, () => "/unused", full);
    expect(plan.homeLayer).toBe(home);
    expect(plan.binds).toEqual([]);
  });

  it("passes the layer, the binds and --unix-sockets to the launcher, and masks safe-sh's cache", () => {
    fs.writeFileSync(path.join(home, ".npmrc"), "nodedir=/usr\n");
    const plan = buildPlan({ workspace, env: { PATH: "/usr/bin", HOME: home }, maskedPaths: [".npmrc", ".ssh"] }, () => "/unused", full);
    try {
      const args = launcherArgs(plan, ["true"]);
      expect(args).toEqual(expect.arrayContaining(["--home-layer", home, "--unix-sockets"]));
      expect(plan.filteredCopies).toHaveLength(1);
      expect(args.join(" ")).toContain(`--bind ${plan.filteredCopies![0]} ${home}/.npmrc`);
      expect(plan.mask).toEqual(expect.arrayContaining([path.join(home, ".ssh"), path.join(home, ".cache", "safe-sh")]));
      expect(plan.mask).not.toContain(path.join(home, ".npmrc"));
    } finally {
      removeFilteredCopies(plan.filteredCopies);
      expect(fs.readdirSync(path.join(cacheRoot({}, home), "filtered"))).toEqual([]);
    }
  });
});
