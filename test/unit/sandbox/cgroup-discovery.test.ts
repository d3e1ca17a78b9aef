// The launcher's cgroup discovery (native/linux/cgroup_discover.cc) on fixture
// trees: which hierarchy holds each limit, and why the others don't.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CgroupProbe } from "../../../src/sandbox/limits";
import { cgroupProbeBinary } from "../../helpers/build";

const HAS_CXX = (() => {
  try {
    execFileSync("c++", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

let root: string;

/** Writes files (path → text) under the fixture root; a path ending in "/" is a directory. */
function tree(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const target = path.join(root, name);
    fs.mkdirSync(name.endsWith("/") ? target : path.dirname(target), { recursive: true });
    if (!name.endsWith("/")) fs.writeFileSync(target, text);
  }
}

function discover(procSelfCgroup: string): CgroupProbe {
  const proc = path.join(root, "proc-self-cgroup");
  fs.writeFileSync(proc, procSelfCgroup);
  return JSON.parse(execFileSync(cgroupProbeBinary(), [proc, path.join(root, "sys")], { encoding: "utf8" })) as CgroupProbe;
}

function markDelegated(dir: string): void {
  execFileSync(cgroupProbeBinary(), ["--mark-delegated", path.join(root, dir)]);
}

// A pure cgroup v2 host (systemd), the caller in leaf "payload" of unit "app.scope".
const V2 = {
  "sys/cgroup.controllers": "cpuset cpu io memory pids",
  "sys/user.slice/cgroup.controllers": "cpu memory pids",
  "sys/user.slice/app.scope/cgroup.controllers": "memory pids",
  "sys/user.slice/app.scope/cgroup.subtree_control": "",
  "sys/user.slice/app.scope/payload/cgroup.procs": "",
};

describe.runIf(HAS_CXX)("cgroup discovery", () => {
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-cgroup-"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("uses cgroup v2 beside the caller when its parent is a delegated subtree, enabling the controllers there", () => {
    tree(V2);
    markDelegated("sys/user.slice/app.scope");
    const found = discover("0::/user.slice/app.scope/payload\n");
    const parent = path.join(root, "sys/user.slice/app.scope");
    expect(found.pids).toMatchObject({ version: "cgroup v2", parent, enable: true });
    expect(found.memory).toMatchObject({ version: "cgroup v2", parent, enable: true });
  });

  it("does not enable a controller the delegated parent already hands down", () => {
    tree({ ...V2, "sys/user.slice/app.scope/cgroup.subtree_control": "memory pids\n" });
    markDelegated("sys/user.slice/app.scope");
    expect(discover("0::/user.slice/app.scope/payload\n").pids).toMatchObject({ version: "cgroup v2", enable: false });
  });

  it("counts a subtree below a delegated unit as delegated", () => {
    tree({ ...V2, "sys/user.slice/app.scope/inner/cgroup.controllers": "pids", "sys/user.slice/app.scope/inner/cgroup.subtree_control": "" });
    markDelegated("sys/user.slice/app.scope");
    const found = discover("0::/user.slice/app.scope/inner/leaf\n");
    expect(found.pids).toMatchObject({ version: "cgroup v2", parent: path.join(root, "sys/user.slice/app.scope/inner") });
    expect(found.memory.version).toBe("none");
    expect(found.memory.why).toContain("no memory controller");
  });

  it("never uses a v2 cgroup that is not delegated (systemd's own tree), and says why", () => {
    tree(V2);
    const found = discover("0::/user.slice/app.scope/payload\n");
    expect(found.pids.version).toBe("none");
    expect(found.pids.why).toContain("is not a delegated subtree");
    expect(found.pids.why).toContain("no cgroup v1 pids hierarchy");
  });

  it("says when the caller sits in the delegated cgroup itself rather than in a leaf below it", () => {
    tree({ ...V2, "sys/user.slice/app.scope/cgroup.procs": "" });
    markDelegated("sys/user.slice/app.scope");
    const found = discover("0::/user.slice/app.scope\n");
    expect(found.pids.version).toBe("none");
    expect(found.pids.why).toContain("is delegated but holds this process");
  });

  it("never puts a run cgroup in the root cgroup", () => {
    tree(V2);
    expect(discover("0::/\n").pids.why).toContain("in the root cgroup");
  });

  it("uses writable cgroup v1 hierarchies on a hybrid host whose v2 mount has no controllers", () => {
    tree({
      "sys/unified/cgroup.controllers": "",
      "sys/pids/cgroup.procs": "",
      "sys/memory/jobs/7/cgroup.procs": "",
    });
    const found = discover("9:name=systemd:/\n8:pids:/\n4:memory:/jobs/7\n2:cpu,cpuacct:/\n0::/\n");
    expect(found.pids).toMatchObject({ version: "cgroup v1", parent: path.join(root, "sys/pids") });
    expect(found.memory).toMatchObject({ version: "cgroup v1", parent: path.join(root, "sys/memory/jobs/7") });
  });

  it("finds a controller in a comma-joined v1 hierarchy line", () => {
    tree({ "sys/memory/cgroup.procs": "" });
    expect(discover("3:memory,hugetlb:/\n").memory).toMatchObject({ version: "cgroup v1" });
  });

  it("says so when no cgroup hierarchy is mounted or listed", () => {
    tree({ "sys/": "" });
    const found = discover("");
    expect(found.pids.version).toBe("none");
    expect(found.pids.why).toBe("no cgroup v2 hierarchy mounted; no cgroup v1 pids hierarchy");
  });

  it.skipIf(process.getuid?.() === 0)("falls back when the v1 hierarchy is not writable by the caller", () => {
    tree({ "sys/pids/cgroup.procs": "" });
    fs.chmodSync(path.join(root, "sys/pids"), 0o555);
    const found = discover("8:pids:/\n");
    fs.chmodSync(path.join(root, "sys/pids"), 0o755);
    expect(found.pids.version).toBe("none");
    expect(found.pids.why).toContain("is not writable by this user");
  });
});
