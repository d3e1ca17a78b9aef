// Writers killed mid-record: the kernel drops their lock, and the next writer repairs the torn line.
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hashLine, verifyChain } from "../../src/audit";
import { exited, node, requireBuild, tempDir, waitFor } from "./children";

const lines = (file: string): any[] => fs.readFileSync(file, "utf8").split("\n").slice(0, -1).map((line) => JSON.parse(line));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const records = (file: string): number => (fs.existsSync(file) ? verifyChain(file).lastSeq ?? 0 : 0);

describe("a writer killed mid-write", () => {
  beforeAll(requireBuild);

  it("blocks the next writer only until it dies; the next writer cuts the torn line into a repair record", async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    expect(await exited(node("append.js", [file, "2", "before"]))).toMatchObject({ code: 0 });
    const torn = node("torn.js", [file]);
    await waitFor(torn, "ready");
    const tornBytes = fs.readFileSync(file).subarray(fs.readFileSync(file).lastIndexOf(0x0a) + 1);
    const writer = node("append.js", [file, "1", "after"]);
    const writerDone = exited(writer);
    await sleep(300);
    expect(writer.exitCode).toBeNull(); // waiting on the lock the torn writer holds
    process.kill(torn.pid as number, "SIGKILL");
    expect(await exited(torn)).toMatchObject({ signal: "SIGKILL" });
    expect(await writerDone).toMatchObject({ code: 0 });
    const records = lines(file);
    expect(records.map((record) => record.event)).toEqual(["exit", "exit", "repair", "exit"]);
    expect(records[2].torn).toMatchObject({ bytes: tornBytes.length, sha256: hashLine(tornBytes) });
    expect(verifyChain(file)).toMatchObject({ ok: true, records: 4 });
  }, 60_000);

  it("real writers SIGKILLed at random moments (10 rounds) leave a chain the next writer keeps verifiable", async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    for (let round = 0; round < 10; round++) {
      const before = records(file);
      const writers = [0, 1, 2].map((i) => node("append.js", [file, "100000", `r${round}w${i}`, "200000", "3"]));
      for (let waited = 0; waited < 20_000 && records(file) <= before; waited += 20) await sleep(20); // writing has begun
      await sleep(Math.floor(Math.random() * 100));
      for (const writer of writers) process.kill(writer.pid as number, "SIGKILL");
      await Promise.all(writers.map(exited));
    }
    expect(await exited(node("append.js", [file, "1", "final"]))).toMatchObject({ code: 0 });
    const result = verifyChain(file);
    expect(result).toMatchObject({ ok: true });
    expect(result.records).toBeGreaterThan(10);
  }, 180_000);
});
