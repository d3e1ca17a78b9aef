// approve(): the order of approvers and what each verdict is attributed to.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approve } from "../../src/decide/approve";
import { decide } from "../../src/decide/decide";
import { ApprovalSession } from "../../src/decide/session";
import type { ApprovalRequest } from "../../src/decide/types";
import type { Policy } from "../../src/policy/types";
import { command, policyWith, rule, script } from "../unit/decide/helpers";

let dir: string;
const noTerminal = { ttyPath: null };
let reviewer: (verdict: string) => Policy["reviewer"];

function request(policy: Policy, argv = ["rm", "-r", "build"], risk: "destructive" | "read-only" = "destructive"): ApprovalRequest {
  const classification = script([command(argv, risk)]);
  return { command: argv.join(" "), classification, cwd: dir, mode: policy.approval, decision: decide(classification, policy, { cwd: dir }) };
}

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-approve-")));
  reviewer = (verdict) => {
    const file = path.join(dir, `${verdict}.js`);
    fs.writeFileSync(file, `process.stdin.resume();process.stdin.on("end",()=>console.log(JSON.stringify({verdict:"${verdict}",reason:"r"})));`);
    return { command: [process.execPath, file], timeoutMs: 10_000 };
  };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("approve", () => {
  it("a decision to run is the policy's own approval", async () => {
    const policy = policyWith();
    expect(await approve(request(policy, ["ls"], "read-only"), policy, new ApprovalSession(), noTerminal)).toMatchObject({ verdict: "allow", approver: "rule" });
  });

  it("a refusal is the policy's own denial, and no approver is asked", async () => {
    const policy = policyWith({ rules: [rule(["rm"], "deny")], reviewer: reviewer("approve") });
    expect(await approve(request(policy), policy, new ApprovalSession(), noTerminal)).toMatchObject({ verdict: "deny", approver: "rule" });
  });

  it("the reviewer's allow or deny is final; the earlier word approve still means allow", async () => {
    for (const [said, verdict] of [["allow", "allow"], ["approve", "allow"], ["deny", "deny"]]) {
      const policy = policyWith({ reviewer: reviewer(said!) });
      expect(await approve(request(policy), policy, new ApprovalSession(), noTerminal)).toMatchObject({ verdict, approver: "reviewer" });
    }
  });

  it("escalate passes on; with no terminal the answer is no, with a hint naming a rule", async () => {
    const policy = policyWith({ reviewer: reviewer("escalate") });
    const result = await approve(request(policy), policy, new ApprovalSession(), { ttyPath: path.join(dir, "no-such-tty") });
    expect(result).toMatchObject({ verdict: "deny", approver: "none" });
    expect(result.hint).toContain("[[rules]]");
    expect(result.hint).toContain(policy.userConfigFile);
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it("a file that is not a terminal is not a terminal approver", async () => {
    const policy = policyWith();
    const notTty = path.join(dir, "plain-file");
    fs.writeFileSync(notTty, "o\n");
    expect(await approve(request(policy), policy, new ApprovalSession(), { ttyPath: notTty })).toMatchObject({ approver: "none" });
  });

  it("a session approval is used before the reviewer, for the exact command, cwd and grant only", async () => {
    const policy = policyWith({ reviewer: reviewer("deny") });
    const session = new ApprovalSession();
    const asked = request(policy);
    session.add(asked.command, asked.cwd, asked.decision.grant);
    expect(await approve(asked, policy, session, noTerminal)).toMatchObject({ verdict: "allow", approver: "session" });
    expect(await approve({ ...asked, cwd: "/elsewhere" }, policy, session, noTerminal)).toMatchObject({ approver: "reviewer" });
    const wider = { ...asked, decision: { ...asked.decision, grant: { ...asked.decision.grant, network: "full" as const } } };
    expect(await approve(wider, policy, session, noTerminal)).toMatchObject({ approver: "reviewer" });
  });
});
