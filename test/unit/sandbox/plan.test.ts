// The plan builder and the launcher argv it produces, compared exactly.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildPlan } from "../../../src/sandbox/plan";
import { launcherArgs } from "../../../src/sandbox/linux";
import type { ProbeResult } from "../../../src/types";

const full: ProbeResult = { platform: "linux", landlockAbi: 7, seccomp: true, userNamespaces: true, netNamespaces: true, reasons: [], launcherPath: "/x/safe-sh-exec" };
const noUserns: ProbeResult = { ...full, userNamespaces: false, netNamespaces: false };
const noLandlock: ProbeResult = { ...full, landlockAbi: 0 };

let workspace: string;
let home: string;
beforeEach(() => {
  workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "plan-ws-")));
  home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "plan-home-")));
  fs.mkdirSync(path.join(workspace, ".git", "hooks"), { recursive: true });
  fs.writeFileSync(path.join(workspace, ".git", "config"), "");
});
afterEach(() => {
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

const hostTmp = () => "/tmp/host-tmp";

describe("buildPlan", () => {
  it("gives workspace-write runs the workspace and a private /tmp, in namespaces", () => {
    const plan = buildPlan({ workspace, env: { PATH: "/usr/bin", HOME: home }, protectedPaths: [".git/hooks", ".git/config", ".vscode"], maskedPaths: [".ssh"] }, hostTmp, full);
    expect(launcherArgs(plan, ["bash", "-c", "true"])).toEqual([
      "--ro", "/",
      "--rw", "/tmp", "--rw", workspace,
      ...plan.devices.flatMap((d) => ["--dev", d]),
      "--namespaces", "--private-tmp",
      "--protect", path.join(workspace, ".git/hooks"), "--protect", path.join(workspace, ".git/config"),
      "--mask", path.join(home, ".ssh"),
      ...plan.mask.slice(1).flatMap((m) => ["--mask", m]),
      "--sweep", path.join(workspace, ".vscode"),
      "--unix-sockets", "--limit-pids", "1024", "--limit-memory", "8589934592",
      "--network", "none", "--chdir", workspace,
      "--", "bash", "-c", "true",
    ]);
    expect(plan.env.TMPDIR).toBe("/tmp");
  });

  it("leaves the workspace read-only in read-only mode", () => {
    const plan = buildPlan({ workspace, sandbox: "read-only", env: {} }, hostTmp, full);
    expect(plan.writeRoots).toEqual(["/tmp"]);
    expect(plan.protect).toEqual([]);
  });

  it("scrubs secrets from the environment unless kept", () => {
    const env = { PATH: "/usr/bin", GITHUB_TOKEN: "t", AWS_PROFILE: "p", LD_PRELOAD: "x.so", KEEP_ME_TOKEN: "k" };
    const plan = buildPlan({ workspace, env, keepEnv: ["KEEP_ME_TOKEN"] }, hostTmp, full);
    expect(plan.env).toMatchObject({ PATH: "/usr/bin", KEEP_ME_TOKEN: "k" });
    expect(plan.droppedEnv).toEqual(["AWS_PROFILE", "GITHUB_TOKEN", "LD_PRELOAD"]);
  });

  it("refuses with ERR_SAFESH_NOT_ENFORCED when user namespaces are missing", () => {
    expect(() => buildPlan({ workspace, env: {} }, hostTmp, noUserns)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_NOT_ENFORCED", exitCode: 126 }));
  });

  it("refuses with ERR_SAFESH_NOT_ENFORCED when Landlock is missing", () => {
    expect(() => buildPlan({ workspace, env: {} }, hostTmp, noLandlock)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_NOT_ENFORCED" }));
  });

  it("runs degraded without namespaces when asked, saying what is missing", () => {
    const plan = buildPlan({ workspace, env: {}, allowDegraded: true }, hostTmp, noUserns);
    expect(plan.namespaces).toBe(false);
    expect(plan.tmpdir).toBe("/tmp/host-tmp");
    expect(plan.notEnforced.join(" ")).toContain("protected paths");
    expect(plan.notEnforced.join(" ")).toContain("mode, owner, times, xattrs and ACLs of files there can be changed");
    expect(launcherArgs(plan, ["true"])).not.toContain("--namespaces");
  });

  it("refuses a workspace that does not exist with ERR_SAFESH_WORKSPACE", () => {
    expect(() => buildPlan({ workspace: path.join(workspace, "missing"), env: {} }, hostTmp, full)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_WORKSPACE" }));
  });
});

describe("the network allowlist plan", () => {
  it("routes the command through the bridge port and tells tools where the proxy is", () => {
    const plan = buildPlan({ workspace, env: { PATH: "/usr/bin" }, network: "allowlist", proxySocket: "/run/x/proxy.sock" }, hostTmp, full);
    const args = launcherArgs(plan, ["true"]);
    expect(args.slice(args.indexOf("--network"), args.indexOf("--chdir"))).toEqual(["--network", "allowlist", "--proxy-socket", "/run/x/proxy.sock", "--proxy-port", "3128"]);
    expect(plan.env).toMatchObject({ HTTPS_PROXY: "http://127.0.0.1:3128", https_proxy: "http://127.0.0.1:3128", ALL_PROXY: "socks5h://127.0.0.1:3128", NO_PROXY: "localhost,127.0.0.1,::1" });
  });

  it("is never degraded into an open network: no net namespace means ERR_SAFESH_NOT_ENFORCED even with allowDegraded", () => {
    expect(() => buildPlan({ workspace, env: {}, network: "allowlist", proxySocket: "/p", allowDegraded: true }, hostTmp, noUserns)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_NOT_ENFORCED", exitCode: 126 }));
  });

  it("needs a running proxy (ERR_SAFESH_USAGE from spawn without prepare)", () => {
    expect(() => buildPlan({ workspace, env: {}, network: "allowlist" }, hostTmp, full)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_USAGE" }));
  });
});

describe("masks and what must stay visible", () => {
  it("never masks a directory holding the workspace, whatever the sandbox mode", () => {
    for (const sandbox of ["read-only", "workspace-write", "full-access"] as const) {
      const plan = buildPlan({ workspace, sandbox, env: { HOME: home }, maskedPaths: [path.dirname(workspace), path.join(home, ".ssh")] }, hostTmp, full);
      expect(plan.mask).not.toContain(path.dirname(workspace));
      expect(plan.mask).toContain(path.join(home, ".ssh"));
    }
  });
});
