// A workspace or writable root that is `/`, a system tree, a top-level
// directory or the whole home is an escalation, judged on its real path.
import fs = require("node:fs");
import os = require("node:os");
import path = require("node:path");
import { afterAll, describe, expect, it } from "vitest";
import { decide } from "../../../src/decide/decide";
import { wideRootReason } from "../../../src/decide/wide-roots";
import { command, policyWith, script } from "./helpers";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-wide-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const readOnly = script([command(["cat", "README"], "read-only")]);

describe("which roots are too wide", () => {
  it.each(["/", "/proc", "/proc/sys/vm", "/sys", "/dev", "/etc", "/etc/ssh", "/usr", "/usr/local/bin", "/boot", "/var", "/var/lib/dpkg", "/run", "/home", "/opt"])("%s is wide", (root) => {
    expect(wideRootReason(root, "/nonexistent-home")).toBeDefined();
  });

  it("the user's whole home and any directory holding it are wide; a project inside it is not", () => {
    const home = path.join(scratch, "home", "user");
    fs.mkdirSync(path.join(home, "project"), { recursive: true });
    expect(wideRootReason(home, home)).toMatch(/whole home/);
    expect(wideRootReason(path.join(scratch, "home"), home)).toMatch(/whole home/);
    expect(wideRootReason(path.join(home, "project"), home)).toBeUndefined();
  });

  it("a symlink is judged by where it leads", () => {
    const link = path.join(scratch, "looks-harmless");
    fs.symlinkSync("/etc", link);
    expect(wideRootReason(link, "/nonexistent-home")).toMatch(/system tree \/etc/);
    expect(wideRootReason(scratch, "/nonexistent-home")).toBeUndefined();
    expect(wideRootReason("/var/tmp/project", "/nonexistent-home")).toBeUndefined();
  });
});

describe("a wide workspace in decide()", () => {
  const cwd = scratch;

  it("runs an ordinary workspace without asking", () => {
    expect(decide(readOnly, policyWith({ approval: "on-request" }), { cwd, workspace: scratch }).verdict).toBe("allow");
  });

  it("asks under on-request, untrusted and on-failure, naming the workspace", () => {
    for (const approval of ["on-request", "untrusted", "on-failure"] as const) {
      const decision = decide(readOnly, policyWith({ approval }), { cwd, workspace: "/proc" });
      expect(decision.verdict).toBe("ask");
      expect(decision.escalation).toBe(true);
      expect(decision.reasons.join("\n")).toMatch(/workspace \/proc is inside the system tree \/proc/);
    }
  });

  it("is refused under never, for the workspace and for a configured writable root", () => {
    expect(decide(readOnly, policyWith({ approval: "never" }), { cwd, workspace: "/" }).verdict).toBe("deny");
    expect(decide(readOnly, policyWith({ approval: "never", writableRoots: ["/etc"] }), { cwd, workspace: scratch }).verdict).toBe("deny");
    expect(decide(readOnly, policyWith({ approval: "never" }), { cwd, workspace: scratch, request: { writableRoots: ["/sys"] } }).verdict).toBe("deny");
  });

  it("is no escalation under a read-only sandbox (nothing is writable)", () => {
    expect(decide(readOnly, policyWith({ approval: "never", sandbox: "read-only" }), { cwd, workspace: "/" }).verdict).toBe("allow");
  });
});
