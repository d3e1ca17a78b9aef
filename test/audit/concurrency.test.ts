// 200 concurrent writer processes: every record lands, and the chain verifies.
import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { chainFiles, verifyChain } from "../../src/audit";
import { exited, node, requireBuild, tempDir, waitFor } from "./children";

const PROCESSES = 200;
const EACH = 5;

function seqsAndSessions(file: string): { seqs: number[]; perSession: Map<string, number[]> } {
  const records = chainFiles(file).flatMap((each) => fs.readFileSync(each, "utf8").split("\n").slice(0, -1).map((line: string) => JSON.parse(line)));
  const perSession = new Map<string, number[]>();
  for (const record of records) perSession.set(record.session, [...(perSession.get(record.session) ?? []), Number(record.command.split(" ")[1])]);
  return { seqs: records.map((record) => record.seq), perSession };
}

/**
 * Starts `processes` writers (yielding between spawns: spawn is synchronous
 * and would starve the test's event loop), waits until each has loaded the
 * writer, then releases them all at once (a line on each stdin).
 * Returns the milliseconds from release to the last exit.
 */
async function runWriters(file: string, processes: number, extra: string[]): Promise<number> {
  const children = [];
  for (let i = 0; i < processes; i++) {
    children.push(node("append.js", [file, String(EACH), `w${i}`, ...extra], { SAFE_SH_TEST_BARRIER: "1" }));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const results = children.map(exited);
  await Promise.all(children.map((child) => waitFor(child, "ready", 300_000)));
  const started = Date.now();
  for (const child of children) child.stdin?.end("go\n");
  for (const result of await Promise.all(results)) expect(result, result.stderr).toMatchObject({ code: 0, signal: null });
  return Date.now() - started;
}

describe("concurrent writers", () => {
  beforeAll(requireBuild);

  it(`${PROCESSES} processes × ${EACH} records: nothing lost, one intact chain`, async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    const ms = await runWriters(file, PROCESSES, []);
    const result = verifyChain(file);
    expect(result).toMatchObject({ ok: true, records: PROCESSES * EACH, start: "genesis" });
    const { seqs, perSession } = seqsAndSessions(file);
    expect(seqs).toEqual(Array.from({ length: PROCESSES * EACH }, (_, i) => i + 1));
    expect(perSession.size).toBe(PROCESSES);
    for (const numbers of perSession.values()) expect(numbers).toEqual([1, 2, 3, 4, 5]); // each writer's own order holds
    console.log(`${PROCESSES} writer processes, ${PROCESSES * EACH} appends after the barrier: ${ms} ms`);
  }, 600_000);

  it("50 processes while rotating every ~10 KiB: the chain still verifies across files", async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    await runWriters(file, 50, ["10000", "1000"]);
    expect(chainFiles(file).length).toBeGreaterThan(5);
    expect(verifyChain(file)).toMatchObject({ ok: true, records: 50 * EACH, start: "genesis", lastSeq: 50 * EACH });
  }, 600_000);
});
