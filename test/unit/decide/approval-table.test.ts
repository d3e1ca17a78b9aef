// Every cell of risk × approval mode × rule, against the table in
// docs/approval-table.md written out here by hand.
import { describe, expect, it } from "vitest";
import { decide } from "../../../src/decide/decide";
import type { Action } from "../../../src/decide/types";
import { APPROVAL_MODES, RULE_DECISIONS, type ApprovalMode } from "../../../src/policy/types";
import { RISKS, type Risk } from "../../../src/types";
import { command, policyWith, rule, script } from "./helpers";

type RuleCell = "no rule" | "allow" | "ask" | "deny";
type Row = [untrusted: Action, onRequest: Action, onFailure: Action, never: Action];

// The same table as docs/approval-table.md. Columns: untrusted, on-request, on-failure, never.
const EXPECTED: Record<RuleCell, Record<Risk, Row>> = {
  "no rule": {
    "read-only": ["run", "run", "run", "run"],
    write: ["ask", "run", "run", "run"],
    network: ["ask", "run", "run", "run"],
    execute: ["ask", "run", "run", "run"],
    unknown: ["ask", "ask", "run", "refuse"],
    destructive: ["ask", "ask", "run", "refuse"],
    privileged: ["ask", "ask", "run", "refuse"],
  },
  allow: {
    "read-only": ["run", "run", "run", "run"],
    write: ["run", "run", "run", "run"],
    network: ["run", "run", "run", "run"],
    execute: ["run", "run", "run", "run"],
    unknown: ["run", "run", "run", "run"],
    destructive: ["run", "run", "run", "run"],
    privileged: ["run", "run", "run", "run"],
  },
  ask: {
    "read-only": ["ask", "ask", "ask", "refuse"],
    write: ["ask", "ask", "ask", "refuse"],
    network: ["ask", "ask", "ask", "refuse"],
    execute: ["ask", "ask", "ask", "refuse"],
    unknown: ["ask", "ask", "ask", "refuse"],
    destructive: ["ask", "ask", "ask", "refuse"],
    privileged: ["ask", "ask", "ask", "refuse"],
  },
  deny: {
    "read-only": ["refuse", "refuse", "refuse", "refuse"],
    write: ["refuse", "refuse", "refuse", "refuse"],
    network: ["refuse", "refuse", "refuse", "refuse"],
    execute: ["refuse", "refuse", "refuse", "refuse"],
    unknown: ["refuse", "refuse", "refuse", "refuse"],
    destructive: ["refuse", "refuse", "refuse", "refuse"],
    privileged: ["refuse", "refuse", "refuse", "refuse"],
  },
};
const COLUMN: Record<ApprovalMode, number> = { untrusted: 0, "on-request": 1, "on-failure": 2, never: 3 };

const cells = (["no rule", ...RULE_DECISIONS] as RuleCell[]).flatMap((ruleCell) =>
  RISKS.flatMap((risk) => APPROVAL_MODES.map((mode) => ({ ruleCell, risk, mode }))),
);

describe("approval table", () => {
  it("covers 7 risks × 4 modes × 4 rule states", () => {
    expect(cells).toHaveLength(112);
  });

  it.each(cells)("$risk under $mode with $ruleCell", ({ ruleCell, risk, mode }) => {
    const rules = ruleCell === "no rule" ? [] : [rule(["tool"], ruleCell)];
    const decision = decide(script([command(["tool", "arg"], risk)]), policyWith({ approval: mode, rules }), { cwd: "/work" });
    expect(decision.action).toBe(EXPECTED[ruleCell][risk][COLUMN[mode]]);
    if (ruleCell !== "no rule") expect(decision.rule?.rule.decision).toBe(ruleCell);
    expect(decision.escalation).toBe(false);
  });
});
