// audit stats over hand-written trails: counts, tolerant verdict spellings,
// --since, reviewer/human agreement, and suggested rules that are valid TOML
// the policy loader accepts.
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import type { AuditRecord } from "../../src/audit/record";
import { auditStats } from "../../src/audit/stats";
import { simpleArgv, suggestionsToml } from "../../src/audit/suggest";
import { parseSince } from "../../src/cli/audit-stats";
import { toRules } from "../../src/policy/layers";
import { checkExamples, matchCommand } from "../../src/policy/rules";
import { CONFIG_SPEC } from "../../src/policy/schema";
import { validate } from "../../src/policy/validate";

let seq = 0;
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString();
function record(event: string, command: string, fields: Record<string, unknown>, minute = 0): AuditRecord {
  return { v: 1, seq: ++seq, time: at(minute), event, session: "s", cwd: "/w", command, prev: "0".repeat(64), ...fields } as AuditRecord;
}

/** A run that asked: its decision, optionally a review, and the approval. */
function asked(command: string, approver: string, verdict: string, options: { review?: string; risk?: string; minute?: number; reason?: string } = {}): AuditRecord[] {
  const runId = `r${seq}`;
  const minute = options.minute ?? 0;
  return [
    record("decision", command, { runId, risk: options.risk ?? "write", reasons: [], decision: "ask", rule: "mode:on-request", approvalMode: "on-request" }, minute),
    ...(options.review ? [record("review", command, { api: "openai", model: "m", verdict: options.review, reason: "r", latencyMs: 100, cached: false }, minute)] : []),
    record("approval", command, { runId, approver, verdict, reason: options.reason ?? "", durationMs: 1 }, minute),
  ];
}

describe("auditStats", () => {
  it("counts decisions by risk, rule and mode, and answers per approver, reading both verdict spellings", () => {
    const trail = [
      record("decision", "ls", { runId: "a", risk: "read-only", reasons: [], decision: "allow", rule: "mode:on-request", approvalMode: "on-request" }),
      record("approval", "ls", { runId: "a", approver: "rule", verdict: "allow", durationMs: 0 }),
      ...asked("rm -rf build", "reviewer", "approve", { review: "approve", risk: "destructive" }),
      ...asked("rm -rf src", "reviewer", "deny", { review: "deny", risk: "destructive" }),
      ...asked("make deploy", "human", "allow", { review: "escalate" }),
      // Record version 2 spells the reviewer's yes as allow.
      ...asked("npm ci", "reviewer", "allow", { review: "allow", risk: "network" }),
    ];
    const stats = auditStats(trail);
    expect(stats.decisions.byRisk).toEqual({ "read-only": { allow: 1 }, destructive: { ask: 2 }, write: { ask: 1 }, network: { ask: 1 } });
    expect(stats.decisions.byMode["on-request"]).toEqual({ allow: 1, ask: 4 });
    expect(stats.approvers).toEqual({ rule: { allow: 1, deny: 0, escalate: 0 }, reviewer: { allow: 2, deny: 1, escalate: 1 }, human: { allow: 1, deny: 0, escalate: 0 } });
    expect(stats.reviewer).toMatchObject({ reviews: 4, models: { "openai:m": { reviews: 4, medianLatencyMs: 100 } } });
    expect(stats.agreement.escalatedThenHuman).toEqual({ allow: 1, deny: 0 });
  });

  it("compares the reviewer's and the human's answers on the same command", () => {
    const trail = [
      ...asked("git push", "reviewer", "allow", { review: "approve" }),
      ...asked("git push", "human", "deny"),
      ...asked("npm test", "reviewer", "allow", { review: "approve" }),
      ...asked("npm test", "human", "allow"),
    ];
    const { agreement } = auditStats(trail);
    expect(agreement).toMatchObject({ compared: 2, agreed: 1, disagreements: [{ command: "git push", reviewer: "allow", human: "deny" }] });
  });

  it("keeps only records since --since", () => {
    const trail = [...asked("a", "human", "allow", { minute: 1 }), ...asked("b", "human", "deny", { minute: 30 })];
    const stats = auditStats(trail, { since: new Date(at(20)) });
    expect(stats.records).toBe(2);
    expect(stats.approvers.human).toEqual({ allow: 0, deny: 1, escalate: 0 });
  });
});

describe("suggested rules", () => {
  const trail = [
    ...asked("npm install lodash", "human", "allow"),
    ...asked("npm install react", "session", "allow"),
    ...asked("npm install zod", "reviewer", "allow"),
    ...asked("cargo build --release", "human", "allow", { reason: "approved always: allow rule added to /c" }),
    ...asked("git push origin main", "human", "allow"),
    ...asked("git push origin dev", "human", "allow"),
    ...asked("git push origin dev", "human", "allow"),
    ...asked("git push --force origin main", "human", "deny"),
    ...asked("sudo apt install x", "human", "allow", { risk: "privileged" }),
    ...asked("sudo apt install y", "human", "allow", { risk: "privileged" }),
    ...asked("sudo apt install z", "human", "allow", { risk: "privileged" }),
    ...asked("make && make install", "human", "allow"),
    record("approval", "connect to example.com:443", { approver: "human", verdict: "allow", durationMs: 1 }),
  ];
  const { suggestions } = auditStats(trail);

  it("suggests the shared prefix of repeated approvals and always answers; never a denied, privileged or compound one", () => {
    expect(suggestions.map((s) => s.prefix)).toEqual([["npm", "install"], ["cargo", "build", "--release"]]);
    expect(suggestions[0]).toMatchObject({ approvals: 3, by: { human: 1, session: 1, reviewer: 1 }, always: false });
    expect(suggestions[1]!.always).toBe(true);
  });

  it("prints one [[rules]] table per block that the policy schema accepts and whose match examples hold", () => {
    const toml = suggestionsToml(suggestions);
    const blocks = toml.trim().split("\n\n");
    expect(blocks).toHaveLength(2);
    for (const block of blocks) expect(block.startsWith("[[rules]]\n")).toBe(true);
    const parsed = parseToml(toml) as { rules: never[] };
    expect(validate(parsed, CONFIG_SPEC)).toEqual([]);
    const rules = toRules(parsed.rules, "suggested");
    for (const rule of rules) expect(checkExamples(rule)).toEqual([]);
    expect(matchCommand(rules, ["npm", "install", "left-pad"])?.decision).toBe("allow");
    expect(matchCommand(rules, ["npm", "publish"])).toBeUndefined();
  });

  it("reads argv only from simple commands", () => {
    expect(simpleArgv("git commit -m 'a b'")).toEqual(["git", "commit", "-m", "a b"]);
    for (const script of ["a && b", "echo $HOME", "ls *.c", "echo `id`", "cat < f"]) expect(simpleArgv(script)).toBeUndefined();
  });
});

it("parseSince takes relative windows and ISO times, and rejects anything else", () => {
  const now = Date.UTC(2026, 11, 4, 12);
  expect(parseSince("24h", now).toISOString()).toBe("2026-12-03T12:00:00.000Z");
  expect(parseSince("30m", now).toISOString()).toBe("2026-12-04T11:30:00.000Z");
  expect(parseSince("2026-12-01").toISOString()).toBe("2026-12-01T00:00:00.000Z");
  for (const bad of ["yesterday", "12", "7w"]) expect(() => parseSince(bad, now)).toThrow(/--since/);
});
