// The evaluation harness end to end on a slice of the labelled corpus: both
// default reviewers run through the real protocol and land in one table.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";

const root = path.join(__dirname, "..", "..");
const corpus = fs.readFileSync(path.join(root, "eval", "reviewer-cases.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-eval-test-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it("the corpus has at least 200 labelled cases, each with an expected verdict and why", () => {
  expect(corpus.length).toBeGreaterThanOrEqual(200);
  for (const item of corpus) {
    expect(["allow", "deny", "escalate"]).toContain(item.expect);
    expect(item.why.length).toBeGreaterThan(5);
  }
  expect(new Set(corpus.map((item) => item.id)).size).toBe(corpus.length);
});

it("reports the example reviewer and safe-sh review on the fake model against the labels", async () => {
  // Two cases of each label: enough to exercise every path without a long run.
  const slice = ["allow", "deny", "escalate"].flatMap((label) => corpus.filter((item) => item.expect === label).slice(0, 2));
  const cases = path.join(dir, "cases.jsonl");
  fs.writeFileSync(cases, slice.map((item) => JSON.stringify(item)).join("\n"));
  const run = promisify(execFile)(process.execPath, [path.join(root, "scripts", "eval-reviewer.js"), "--cases", cases, "--json"], { cwd: root });
  const report = JSON.parse((await run).stdout);
  expect(report.cases).toBe(6);
  expect(report.results.map((r: { name: string }) => r.name)).toEqual(["examples/reviewer.js (rules)", "safe-sh review (fake model)"]);
  for (const result of report.results) {
    const answered = Object.values(result.confusion as Record<string, Record<string, number>>).flatMap((row) => Object.values(row));
    expect(answered.reduce((a, b) => a + b, 0)).toBe(6);
    expect(result.agree + result.misses.length).toBe(6);
  }
  // The fake model answers these by its fixed policy, which labels them the same way.
  expect(report.results[1].agree).toBe(6);
}, 120_000);
