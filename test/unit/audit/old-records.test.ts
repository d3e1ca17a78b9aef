// A trail written before record version 2 (its reviews said "approve"):
// verify, tail and stats read it in today's words, and a current writer
// continues its chain.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatLine, openAudit, SCHEMA_VERSION, verifyChain } from "../../../src/audit";
import { parseRecord, type AuditRecord } from "../../../src/audit/record";
import { auditStats } from "../../../src/audit/stats";
import { toLogRecord } from "../../../src/audit/otlp";
import { readLines, tempLog } from "./log-fixture";

const fixture = path.join(__dirname, "fixtures", "audit-v1.jsonl");
const records = (file: string) => readLines(file).map((line) => parseRecord(line)!) as AuditRecord[];
const { dir, file } = tempLog();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a version 1 trail", () => {
  it("verifies as it is", () => {
    expect(records(fixture).every((record) => record.v === 1)).toBe(true);
    expect(verifyChain(fixture)).toMatchObject({ ok: true, records: 8, start: "genesis" });
  });

  it("tail and the OTLP export say allow where the record says approve", () => {
    const review = readLines(fixture)[1]!;
    expect(JSON.parse(review).verdict).toBe("approve");
    expect(formatLine(review)).toContain("allow by gpt-4o-mini");
    const exported = toLogRecord(parseRecord(review)!, review).attributes as { key: string; value: { stringValue?: string } }[];
    expect(exported.find((attribute) => attribute.key === "safe_sh.decision")?.value.stringValue).toBe("allow");
  });

  it("stats count the old approve as allow, and compare the reviewer with the human", () => {
    const stats = auditStats(records(fixture));
    expect(stats.approvers).toEqual({ reviewer: { allow: 1, deny: 0, escalate: 1 }, human: { allow: 0, deny: 1, escalate: 0 } });
    expect(stats.agreement.escalatedThenHuman).toEqual({ allow: 0, deny: 1 });
  });

  it("a current writer appends version 2 records to it, and the mixed chain verifies", () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(fixture, file);
    const log = openAudit({ path: file });
    log.append({ event: "review", command: "npm ci", api: "openai", model: "m", verdict: "allow", reason: "installs", latencyMs: 1, cached: false });
    const all = records(file);
    expect(all.map((record) => record.v)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, SCHEMA_VERSION]);
    expect(SCHEMA_VERSION).toBe(2);
    expect(verifyChain(file)).toMatchObject({ ok: true, records: 9 });
    expect(formatLine(readLines(file)[8]!)).toContain("allow by m");
    expect(auditStats(all).reviewer.reviews).toBe(3);
  });
});
