// decide(): strictest across commands, structure risk, escalations,
// requirements caps, and what an "always" answer would remember.
import { describe, expect, it } from "vitest";
import { decide } from "../../../src/decide/decide";
import { command, policyWith, rule, script } from "./helpers";

const cwd = "/work";

describe("strictest wins across a script's commands", () => {
  it("a denied command refuses the whole script even when the others are allowed", () => {
    const policy = policyWith({ rules: [rule(["ls"], "allow"), rule(["git", "push"], "deny", "no pushing")] });
    const decision = decide(script([command(["ls"], "read-only"), command(["git", "push", "origin"], "network")]), policy, { cwd });
    expect(decision.verdict).toBe("deny");
    expect(decision.rule?.rule.prefix).toEqual(["git", "push"]);
    expect(decision.rule?.argv).toEqual(["git", "push", "origin"]);
  });

  it("an allow rule for one command does not cover a destructive neighbour", () => {
    const policy = policyWith({ rules: [rule(["make"], "allow")] });
    const decision = decide(script([command(["make"], "write"), command(["rm", "-rf", "src"], "destructive")]), policy, { cwd });
    expect(decision.verdict).toBe("ask");
    expect(decision.remember).toEqual([["rm", "-rf", "src"]]);
  });

  it("on one command, deny beats ask beats allow whatever the order", () => {
    const policy = policyWith({ rules: [rule(["git"], "allow"), rule(["git", "push"], "ask"), rule(["git", "push", "--force"], "deny")] });
    expect(decide(script([command(["git", "push", "--force"], "network")]), policy, { cwd }).verdict).toBe("deny");
    expect(decide(script([command(["git", "push"], "network")]), policy, { cwd }).verdict).toBe("ask");
    expect(decide(script([command(["git", "status"], "read-only")]), policy, { cwd }).verdict).toBe("allow");
  });

  it("a rule naming the program also matches it called by path", () => {
    const policy = policyWith({ rules: [rule(["rm", "-rf", "/"], "deny")] });
    expect(decide(script([command(["/bin/rm", "-rf", "/"], "destructive")]), policy, { cwd }).verdict).toBe("deny");
  });
});

describe("risk from the script's structure", () => {
  it("a parse error asks under on-request even when every command is allowed by a rule", () => {
    const policy = policyWith({ rules: [rule(["echo"], "allow")] });
    const classification = script([command(["echo", "hi"], "read-only")], { parseError: "unexpected token" });
    const decision = decide(classification, policy, { cwd });
    expect(decision.verdict).toBe("ask");
    expect(decision.remember).toBeUndefined();
  });

  it("a writing redirection makes a read-only command ask under untrusted", () => {
    const classification = script([command(["echo", "hi"], "read-only")], { risk: "write", reasons: ["> out.txt: writes a file"] });
    expect(decide(classification, policyWith({ approval: "untrusted" }), { cwd }).verdict).toBe("ask");
    expect(decide(classification, policyWith({ approval: "on-request" }), { cwd }).verdict).toBe("allow");
  });

  it("an empty script takes the script's own risk", () => {
    expect(decide(script([]), policyWith({ approval: "untrusted" }), { cwd }).verdict).toBe("allow");
  });
});

describe("escalations", () => {
  const readOnly = script([command(["cat", "README"], "read-only")]);

  it("asking for full access asks under on-request and untrusted", () => {
    for (const approval of ["on-request", "untrusted"] as const) {
      const decision = decide(readOnly, policyWith({ approval }), { cwd, request: { sandbox: "full-access" } });
      expect(decision.verdict).toBe("ask");
      expect(decision.escalation).toBe(true);
      expect(decision.grant.sandbox).toBe("full-access");
      expect(decision.remember).toBeUndefined();
    }
  });

  it("an allow rule does not grant more access", () => {
    const policy = policyWith({ rules: [rule(["cat"], "allow")] });
    expect(decide(readOnly, policy, { cwd, request: { network: "full" } }).verdict).toBe("ask");
  });

  it("never refuses an escalation", () => {
    expect(decide(readOnly, policyWith({ approval: "never" }), { cwd, request: { network: "full" } }).verdict).toBe("deny");
  });

  it("on-failure runs confined first and asks only for the re-run after a sandbox denial", () => {
    const policy = policyWith({ approval: "on-failure" });
    const first = decide(readOnly, policy, { cwd, request: { sandbox: "full-access" } });
    expect(first.verdict).toBe("allow");
    expect(first.grant.sandbox).toBe("workspace-write");
    const retry = decide(readOnly, policy, { cwd, retryAfterDenial: true });
    expect(retry.verdict).toBe("ask");
    expect(retry.grant).toEqual({ sandbox: "full-access", network: "full", writableRoots: [] });
  });

  it("an extra writable root is an escalation; one the policy already has is not", () => {
    const policy = policyWith({ writableRoots: ["/data/cache"] });
    expect(decide(readOnly, policy, { cwd, request: { writableRoots: ["/data/cache"] } }).verdict).toBe("allow");
    expect(decide(readOnly, policy, { cwd, request: { writableRoots: ["/srv/cache"] } }).verdict).toBe("ask");
  });

  it("a grant requirements.toml forbids is refused, not asked", () => {
    const policy = policyWith({});
    policy.requirements = { ...policy.requirements, allowedSandboxModes: ["read-only", "workspace-write"] };
    expect(decide(readOnly, policy, { cwd, request: { sandbox: "full-access" } }).verdict).toBe("deny");
  });
});

describe("remember", () => {
  it("lists the argv of each asking command so 'always' can add allow rules", () => {
    const decision = decide(script([command(["rm", "-r", "build"], "destructive"), command(["ls"], "read-only")]), policyWith(), { cwd });
    expect(decision.remember).toEqual([["rm", "-r", "build"]]);
  });

  it("is absent when an ask rule set the verdict (an allow rule could not loosen it)", () => {
    const decision = decide(script([command(["git", "push"], "network")]), policyWith({ rules: [rule(["git", "push"], "ask")] }), { cwd });
    expect(decision.verdict).toBe("ask");
    expect(decision.remember).toBeUndefined();
  });
});
