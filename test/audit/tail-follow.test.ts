// `safe-sh audit tail -f`: follows across rotation and stops cleanly on SIGINT/SIGTERM.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openAudit } from "../../src/audit";
import { builtRoot, exited, requireBuild, tempDir, waitFor } from "./children";

describe("safe-sh audit tail -f", () => {
  beforeAll(requireBuild);

  it.each(["SIGTERM", "SIGINT"] as const)("prints every record across rotations, then exits 0 on %s", async (signal) => {
    const file = path.join(tempDir(), "audit.jsonl");
    const log = openAudit({ path: file, maxBytes: 1500, keep: 20 });
    log.append({ event: "decision", command: "before", risk: "read-only", reasons: [], decision: "allow" });
    const tail = spawn(process.execPath, [path.join(builtRoot(), "bin", "safe-sh"), "audit", "tail", "-f", "--json", "-n", "1", "--log", file], { stdio: ["ignore", "pipe", "pipe"] });
    const done = exited(tail);
    let out = "";
    tail.stdout.on("data", (chunk) => (out += chunk));
    await waitFor(tail, '"command":"before"', 30_000);
    for (let i = 1; i <= 30; i++) { // ~6 rotations, several between two polls
      log.append({ event: "decision", command: `c${i}`, risk: "read-only", reasons: [], decision: "allow" });
    }
    for (let waited = 0; waited < 30_000 && !out.includes('"command":"c30"'); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    tail.kill(signal);
    expect(await done).toMatchObject({ code: 0, signal: null });
    const seqs = out.trim().split("\n").map((line) => JSON.parse(line).seq);
    expect(seqs).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
  }, 90_000);
});
