// examples/reviewer.js, run as safe-sh runs it: allow sandboxed work, deny
// destructive work outside /tmp and anything privileged, escalate the rest.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runReviewer } from "../../src/decide/approvers/reviewer";
import { decide } from "../../src/decide/decide";
import type { DecideContext } from "../../src/decide/types";
import type { Classification } from "../../src/types";
import { command, policyWith, script } from "../unit/decide/helpers";

const example = { command: [process.execPath, path.join(__dirname, "../../examples/reviewer.js")], timeoutMs: 10_000 };

async function verdictFor(classification: Classification, context: Partial<DecideContext> = {}): Promise<string> {
  const policy = policyWith({ approval: "untrusted" });
  const decision = decide(classification, policy, { cwd: "/tmp", ...context });
  const request = { command: "script", classification, cwd: "/tmp", mode: policy.approval, decision };
  return (await runReviewer(example, request)).verdict;
}

describe("examples/reviewer.js", () => {
  it("approves writing the workspace", async () => {
    expect(await verdictFor(script([command(["touch", "notes.txt"], "write")]))).toBe("allow");
  });

  it("approves deleting under /tmp", async () => {
    expect(await verdictFor(script([command(["rm", "-rf", "/tmp/build-cache"], "destructive")]))).toBe("allow");
  });

  it("denies deleting the workspace's sources", async () => {
    expect(await verdictFor(script([command(["rm", "-rf", "src"], "destructive")]))).toBe("deny");
  });

  it("denies a path that climbs out of /tmp", async () => {
    expect(await verdictFor(script([command(["rm", "-rf", "/tmp/../home"], "destructive")]))).toBe("deny");
  });

  it("denies anything privileged", async () => {
    expect(await verdictFor(script([command(["ls"], "read-only"), command(["mount", "/dev/sda1", "/mnt"], "privileged")]))).toBe("deny");
  });

  it("escalates what it cannot judge: unanalysable scripts and wider grants", async () => {
    expect(await verdictFor(script([command(["$CMD"], "unknown")]))).toBe("escalate");
    expect(await verdictFor(script([command(["make"], "write")]), { request: { network: "full" } })).toBe("escalate");
  });
});
