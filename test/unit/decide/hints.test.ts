// Every hint said with a refusal or an unanswered ask names a change that
// would let the command run, and each test applies that change to prove it
// (or shows the change the hint warns against would not).
import { beforeAll, describe, expect, it } from "vitest";
import { classifyScript, loadParser } from "../../../src/classify";
import { approvalHint, refusalHint } from "../../../src/decide/approvers/none";
import { promptText } from "../../../src/decide/approvers/tty";
import { decide } from "../../../src/decide/decide";
import type { DecideContext, Decision } from "../../../src/decide/types";
import type { Policy } from "../../../src/policy/types";
import type { Classification } from "../../../src/types";
import { command, policyWith, rule, script } from "./helpers";

const cwd = "/home/dev/project";
const never = policyWith({ approval: "never" });
const onRequest = policyWith({ approval: "on-request" });
const classify = (text: string) => classifyScript(text, { cwd, exists: () => false });
const asked = (classification: Classification, policy: Policy, decision: Decision) => ({ command: "c", classification, cwd, mode: policy.approval, decision });

beforeAll(() => loadParser());

describe("a write outside the workspace", () => {
  it.each(["touch /etc/x", "echo hi > ~/notes.txt"])("%s: no allow rule or mode change is offered, since the sandbox would still refuse the write", async (text) => {
    const classification = await classify(text);
    const refused = decide(classification, never, { cwd });
    expect(refused.verdict).toBe("deny");
    expect(refused.remember).toBeUndefined();
    const hint = refusalHint(refused, never);
    expect(hint).toContain("writable_roots");
    expect(hint).toMatch(/approval never .* never becomes writable/);
    expect(hint).not.toContain("[[rules]]");
    expect(hint).not.toMatch(/another approval mode/);
  });

  it("asked with nobody to answer: the hint names the grant that makes the write possible, not an allow rule", async () => {
    const classification = await classify("touch /etc/x");
    const decision = decide(classification, onRequest, { cwd });
    expect(decision).toMatchObject({ verdict: "ask", outside: ["touch /etc/x: changes /etc/x, outside the workspace"] });
    const hint = approvalHint(asked(classification, onRequest, decision), onRequest);
    expect(hint).toContain("approving it is not enough");
    expect(hint).toContain("--sandbox full-access");
    expect(hint).toContain(`writable_roots in ${onRequest.userConfigFile}`);
    expect(hint).not.toContain("[[rules]]");
    // Following it: with full access asked for, the decision still asks, and then approving is all it takes.
    const wider = decide(classification, onRequest, { cwd, request: { sandbox: "full-access" } });
    expect(wider.verdict).toBe("ask");
    expect(wider.outside).toBeUndefined();
    expect(approvalHint(asked(classification, onRequest, wider), onRequest)).toContain("approve the wider grant");
  });

  it("whoever is asked is told a yes does not make the write possible; other prompts carry no such note", async () => {
    const outside = await classify("touch /etc/x");
    expect(promptText(asked(outside, onRequest, decide(outside, onRequest, { cwd })), "/c")).toContain("note:    approving runs the command, and the sandbox still refuses");
    const inside = await classify("rm -rf build");
    expect(promptText(asked(inside, onRequest, decide(inside, onRequest, { cwd })), "/c")).not.toContain("note:");
  });

  it("under never, a directory that is not a system tree becomes writable with writable_roots and an allow rule, as the hint says", async () => {
    const classification = await classify("touch ~/notes/x");
    const fixed = policyWith({ approval: "never", writableRoots: ["/home/dev/notes"], rules: [rule(["touch"], "allow")] });
    expect(decide(classification, fixed, { cwd, workspace: cwd })).toMatchObject({ verdict: "allow", grant: { writableRoots: ["/home/dev/notes"] } });
    // A system tree is refused under never even then: the hint says it never becomes writable.
    const system = policyWith({ approval: "never", writableRoots: ["/etc"], rules: [rule(["touch"], "allow")] });
    expect(decide(await classify("touch /etc/x"), system, { cwd, workspace: cwd }).verdict).toBe("deny");
  });
});

describe("a refusal by risk under never", () => {
  it("offers allow rules that do let it run", async () => {
    const classification = await classify("rm -rf build");
    const refused = decide(classification, never, { cwd });
    const hint = refusalHint(refused, never);
    expect(hint).toContain('prefix = [ "rm", "-rf", "build" ]');
    const fixed = policyWith({ approval: "never", rules: refused.remember!.map((prefix) => rule(prefix, "allow")) });
    expect(decide(classification, fixed, { cwd }).verdict).toBe("allow");
  });

  it("offers no allow rule when the risk comes from the script as a whole", () => {
    const classification = script([command(["ls"], "read-only")], { risk: "unknown", reasons: ["parse error"], parseError: "x" });
    const refused = decide(classification, never, { cwd });
    expect(refused.verdict).toBe("deny");
    expect(refusalHint(refused, never)).toContain("no allow rule covers");
    // Indeed: an allow rule for every command changes nothing.
    expect(decide(classification, policyWith({ approval: "never", rules: [rule(["ls"], "allow")] }), { cwd }).verdict).toBe("deny");
  });
});

describe("a refusal by rule", () => {
  const denied = script([command(["git", "push"], "network")]);

  it("a deny rule: only changing it helps, an allow rule elsewhere would not", () => {
    const policy = policyWith({ rules: [rule(["git", "push"], "deny")] });
    const hint = refusalHint(decide(denied, policy, { cwd }), policy);
    expect(hint).toContain("the deny rule rules[0]");
    expect(hint).toContain("in test.toml");
    expect(hint).toContain("an allow rule elsewhere would not");
    expect(decide(denied, policyWith({ rules: [rule(["git", "push"], "deny"), rule(["git"], "allow")] }), { cwd }).verdict).toBe("deny");
  });

  it("an ask rule under never: another mode asks, and an allow rule would not loosen it", () => {
    const policy = policyWith({ approval: "never", rules: [rule(["git", "push"], "ask")] });
    const refused = decide(denied, policy, { cwd });
    expect(refused.verdict).toBe("deny");
    expect(refusalHint(refused, policy)).toMatch(/the ask rule .* asks, and approval never refuses whatever asks/);
    expect(decide(denied, policyWith({ approval: "on-request", rules: policy.rules }), { cwd }).verdict).toBe("ask");
    expect(decide(denied, policyWith({ approval: "never", rules: [...policy.rules, rule(["git", "push"], "allow")] }), { cwd }).verdict).toBe("deny");
  });

  it("a rule of requirements.toml is the administrator's", () => {
    const policy = policyWith({ rules: [{ ...rule(["git", "push"], "deny"), source: "/etc/safe-sh/requirements.toml" }] });
    expect(refusalHint(decide(denied, policy, { cwd }), policy)).toContain("ask the administrator");
  });
});

describe("a wider grant under never", () => {
  const readOnly = script([command(["ls"], "read-only")]);
  const refusedFor = (policy: Policy, context: DecideContext) => {
    const decision = decide(readOnly, policy, context);
    expect(decision.verdict).toBe("deny");
    return refusalHint(decision, policy);
  };

  it("asked for on the command line: running without asking for it runs", () => {
    expect(refusedFor(never, { cwd, request: { network: "full" } })).toContain("run without asking for network none → full");
    expect(decide(readOnly, never, { cwd }).verdict).toBe("allow");
  });

  it("configured: names the writable root to take out of writable_roots, not a flag", () => {
    const policy = policyWith({ approval: "never", writableRoots: ["/etc"] });
    const hint = refusedFor(policy, { cwd, workspace: cwd });
    expect(hint).toContain("writable root /etc is inside the system tree /etc: take it out of writable_roots");
    expect(hint).not.toContain("run without asking");
  });

  it("a workspace too wide: run from a narrower one", () => {
    expect(refusedFor(never, { cwd, workspace: "/" })).toContain("narrower --workspace");
    expect(decide(readOnly, never, { cwd, workspace: cwd }).verdict).toBe("allow");
  });
});

describe("a command whose name is built at run time", () => {
  it.each(["R=rm; $R -rf src", "$(echo rm) -rf src", "node -e 'require(\"child_process\").execSync(\"$CMD\")'"])("%s: no allow rule is offered (one naming the word as written would allow whatever it holds)", async (text) => {
    const classification = await classify(text);
    expect(classification.commands.some((c) => c.nameNotLiteral)).toBe(true);
    const decision = decide(classification, onRequest, { cwd });
    expect(decision.verdict).toBe("ask");
    expect(decision.remember).toBeUndefined();
    expect(approvalHint(asked(classification, onRequest, decision), onRequest)).not.toContain("[[rules]]");
  });

  it("a literal unknown program still gets its allow rule, and the rule lets it run", async () => {
    const classification = await classify("mytool build");
    const decision = decide(classification, onRequest, { cwd });
    expect(decision.remember).toEqual([["mytool", "build"]]);
    expect(approvalHint(asked(classification, onRequest, decision), onRequest)).toContain("[[rules]]");
    expect(decide(classification, policyWith({ approval: "on-request", rules: [rule(["mytool", "build"], "allow")] }), { cwd }).verdict).toBe("allow");
  });
});
