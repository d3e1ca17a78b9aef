// A full filesystem (a 64 KiB tmpfs): the writer fails with ERR_SAFESH_AUDIT_UNAVAILABLE and leaves a verifiable log.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAudit, verifyChain } from "../../src/audit";
import { SafeShError } from "../../src/errors";
import { tempDir } from "./children";

// Mounting needs root (dev containers and CI are); CI sets SAFE_SH_REQUIRE_SANDBOX=1 so
// this suite then runs and fails instead of being skipped.
const canMount = process.getuid?.() === 0 || process.env.SAFE_SH_REQUIRE_SANDBOX === "1";

describe.runIf(canMount)("a full filesystem", () => {
  const mountpoint = tempDir();
  const file = path.join(mountpoint, "state", "audit.jsonl");
  const filler = path.join(mountpoint, "filler");
  const big = "x".repeat(900);

  beforeAll(() => {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mountpoint]);
    fs.writeFileSync(filler, Buffer.alloc(16 * 1024)); // freed later to show the writer recovers
  });
  afterAll(() => {
    execFileSync("umount", [mountpoint]);
    fs.rmdirSync(mountpoint);
  });

  it("throws ERR_SAFESH_AUDIT_UNAVAILABLE once the disk is full, without leaving a torn line", () => {
    const log = openAudit({ path: file });
    let caught: unknown;
    let written = 0;
    for (let i = 0; i < 1000 && caught === undefined; i++) {
      try {
        log.append({ event: "decision", command: `${big} ${i}`, risk: "write", reasons: [], decision: "allow" });
        written++;
      } catch (error) {
        caught = error;
      }
    }
    expect(caught).toBeInstanceOf(SafeShError);
    expect((caught as SafeShError).code).toBe("ERR_SAFESH_AUDIT_UNAVAILABLE");
    expect((caught as SafeShError).exitCode).toBe(125);
    expect(written).toBeGreaterThan(10);
    expect(verifyChain(file)).toMatchObject({ ok: true, records: written });
  });

  it("returns a warning instead with bestEffort, and records again once space is freed", () => {
    const log = openAudit({ path: file, bestEffort: true });
    const event = { event: "decision", command: big, risk: "write", reasons: [], decision: "allow" } as const;
    const before = verifyChain(file).records;
    expect(log.append(event)).toMatch(/ENOSPC/);
    fs.rmSync(filler);
    expect(log.append(event)).toBeUndefined();
    expect(verifyChain(file)).toMatchObject({ ok: true, records: before + 1 });
  });
});
