// verify names the first bad line and why, for each kind of tampering.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashLine, serialise, verifyChain } from "../../../src/audit";
import { appendDecisions, readLines, tempLog, writeLines } from "./log-fixture";

function logOf(count: number): { file: string; lines: string[] } {
  const { file, log } = tempLog();
  appendDecisions(log, count);
  return { file, lines: readLines(file) };
}

describe("verifyChain", () => {
  it("accepts an intact chain that starts from 64 zeros", () => {
    const { file } = logOf(10);
    const result = verifyChain(file);
    expect(result).toMatchObject({ ok: true, records: 10, start: "genesis", lastSeq: 10 });
    expect(result.lastHash).toBe(hashLine(readLines(file)[9]));
    expect(JSON.parse(readLines(file)[0]).prev).toBe(GENESIS_HASH);
  });

  it("reports an edited record at its own line", () => {
    const { file, lines } = logOf(10);
    lines[3] = lines[3].replace("cmd 4", "cmd X");
    writeLines(file, lines);
    expect(verifyChain(file).problem).toMatchObject({ line: 4, reason: "edited" });
  });

  it("reports a record whose seq was changed (and the next link rebuilt) as edited at its line", () => {
    const { file, lines } = logOf(5);
    const third = JSON.parse(lines[2]);
    lines[2] = serialise({ ...third, seq: 7 });
    const fourth = JSON.parse(lines[3]);
    lines[3] = serialise({ ...fourth, prev: hashLine(lines[2]) });
    writeLines(file, lines);
    expect(verifyChain(file).problem).toMatchObject({ line: 3, reason: "edited" });
  });

  it("reports a deleted record at the line that follows the gap", () => {
    const { file, lines } = logOf(10);
    lines.splice(4, 1);
    writeLines(file, lines);
    expect(verifyChain(file).problem).toMatchObject({ line: 5, reason: "deleted" });
  });

  it("reports deleted first records at line 1", () => {
    const { file, lines } = logOf(5);
    writeLines(file, lines.slice(2));
    expect(verifyChain(file).problem).toMatchObject({ line: 1, reason: "deleted" });
  });

  it("reports two swapped records at the first of them", () => {
    const { file, lines } = logOf(10);
    [lines[2], lines[3]] = [lines[3], lines[2]];
    writeLines(file, lines);
    expect(verifyChain(file).problem).toMatchObject({ line: 3, reason: "reordered" });
  });

  it("reports a record moved to the end at its old place", () => {
    const { file, lines } = logOf(6);
    const [moved] = lines.splice(1, 1);
    writeLines(file, [...lines, moved]);
    expect(verifyChain(file).problem).toMatchObject({ line: 2, reason: "reordered" });
  });

  it("reports an inserted foreign record at its line", () => {
    const { file, lines } = logOf(6);
    const forged = serialise({ ...JSON.parse(lines[3]), command: "forged", prev: hashLine(lines[2]) });
    lines.splice(3, 0, forged);
    writeLines(file, lines);
    expect(verifyChain(file).problem).toMatchObject({ line: 4, reason: "inserted" });
  });

  it("reports an incomplete last line as truncated", () => {
    const { file } = logOf(10);
    fs.truncateSync(file, fs.statSync(file).size - 20);
    expect(verifyChain(file).problem).toMatchObject({ line: 10, reason: "truncated" });
  });

  it("reports a line that is not JSON as invalid-json", () => {
    const { file, lines } = logOf(10);
    lines[5] = "{not json";
    writeLines(file, lines);
    expect(verifyChain(file).problem).toMatchObject({ line: 6, reason: "invalid-json" });
  });

  it("reports the first problem when there are several", () => {
    const { file, lines } = logOf(10);
    lines[7] = "garbage";
    lines.splice(2, 1);
    writeLines(file, lines);
    expect(verifyChain(file).problem).toMatchObject({ line: 3, reason: "deleted" });
  });

  it("reports a missing log", () => {
    const { file } = tempLog();
    expect(verifyChain(file)).toMatchObject({ ok: false, problem: { line: 0, reason: "missing" } });
  });
});
