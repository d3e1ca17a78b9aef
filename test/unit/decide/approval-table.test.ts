// Every cell of risk × approval mode × rule, against the table in
// docs/approval-table.md written out here by hand.
import { describe, expect, it } from "vitest";
import { decide } from "../../../src/decide/decide";
import { VERDICTS, type Verdict } from "../../../src/verdict";
import { APPROVAL_MODES, type ApprovalMode } from "../../../src/policy/types";
import { RISKS, type Risk } from "../../../src/types";
import { command, policyWith, rule, script } from "./helpers";

type RuleCell = "no rule" | "allow" | "ask" | "deny";
type Row = [untrusted: Verdict, onRequest: Verdict, onFailure: Verdict, never: Verdict];

// The same table as docs/approval-table.md. Columns: untrusted, on-request, on-failure, never.
const EXPECTED: Record<RuleCell, Record<Risk, Row>> = {
  "no rule": {
    "read-only": ["allow", "allow", "allow", "allow"],
    write: ["ask", "allow", "allow", "allow"],
    network: ["ask", "allow", "allow", "allow"],
    execute: ["ask", "allow", "allow", "allow"],
    unknown: ["ask", "ask", "allow", "deny"],
    destructive: ["ask", "ask", "allow", "deny"],
    privileged: ["ask", "ask", "allow", "deny"],
  },
  allow: {
    "read-only": ["allow", "allow", "allow", "allow"],
    write: ["allow", "allow", "allow", "allow"],
    network: ["allow", "allow", "allow", "allow"],
    execute: ["allow", "allow", "allow", "allow"],
    unknown: ["allow", "allow", "allow", "allow"],
    destructive: ["allow", "allow", "allow", "allow"],
    privileged: ["allow", "allow", "allow", "allow"],
  },
  ask: {
    "read-only": ["ask", "ask", "ask", "deny"],
    write: ["ask", "ask", "ask", "deny"],
    network: ["ask", "ask", "ask", "deny"],
    execute: ["ask", "ask", "ask", "deny"],
    unknown: ["ask", "ask", "ask", "deny"],
    destructive: ["ask", "ask", "ask", "deny"],
    privileged: ["ask", "ask", "ask", "deny"],
  },
  deny: {
    "read-only": ["deny", "deny", "deny", "deny"],
    write: ["deny", "deny", "deny", "deny"],
    network: ["deny", "deny", "deny", "deny"],
    execute: ["deny", "deny", "deny", "deny"],
    unknown: ["deny", "deny", "deny", "deny"],
    destructive: ["deny", "deny", "deny", "deny"],
    privileged: ["deny", "deny", "deny", "deny"],
  },
};
const COLUMN: Record<ApprovalMode, number> = { untrusted: 0, "on-request": 1, "on-failure": 2, never: 3 };

const cells = (["no rule", ...VERDICTS] as RuleCell[]).flatMap((ruleCell) =>
  RISKS.flatMap((risk) => APPROVAL_MODES.map((mode) => ({ ruleCell, risk, mode }))),
);

describe("approval table", () => {
  it("covers 7 risks × 4 modes × 4 rule states", () => {
    expect(cells).toHaveLength(112);
  });

  it.each(cells)("$risk under $mode with $ruleCell", ({ ruleCell, risk, mode }) => {
    const rules = ruleCell === "no rule" ? [] : [rule(["tool"], ruleCell)];
    const decision = decide(script([command(["tool", "arg"], risk)]), policyWith({ approval: mode, rules }), { cwd: "/work" });
    expect(decision.verdict).toBe(EXPECTED[ruleCell][risk][COLUMN[mode]]);
    if (ruleCell !== "no rule") expect(decision.rule?.rule.decision).toBe(ruleCell);
    expect(decision.escalation).toBe(false);
  });
});
