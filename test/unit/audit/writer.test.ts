// The writer: permissions, redaction, torn-line repair, rotation with the chain carried, failures.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, SCHEMA_VERSION, auditDir, auditPath, chainFiles, hashLine, openAudit, verifyChain } from "../../../src/audit";
import { SafeShError } from "../../../src/errors";
import { appendDecisions, readLines, tempLog } from "./log-fixture";

describe("openAudit().append", () => {
  it("creates the directory 0700 and the file 0600", () => {
    const { file, log } = tempLog();
    appendDecisions(log, 1);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("writes the header fields and chains each record to the previous line", () => {
    const { file, log } = tempLog({ sessionId: "s-1" });
    log.append({ event: "exit", command: "false", cwd: "/w", exitCode: 1, signal: null, durationMs: 3, sandboxDenialSuspected: false });
    log.append({ event: "network", command: "curl x", host: "example.com", port: 443, decision: "deny", bytesOut: 0, bytesIn: 0, durationMs: 1 });
    const [first, second] = readLines(file);
    expect(JSON.parse(first)).toMatchObject({ v: SCHEMA_VERSION, seq: 1, event: "exit", session: "s-1", cwd: "/w", command: "false", exitCode: 1, prev: GENESIS_HASH });
    expect(JSON.parse(second)).toMatchObject({ seq: 2, event: "network", cwd: process.cwd(), prev: hashLine(first) });
  });

  it("writes several records given together in order, chained, with one write", () => {
    const { file, log } = tempLog();
    appendDecisions(log, 1);
    const sizeBefore = fs.statSync(file).size;
    // The writer's own fs (CommonJS exports, which can be patched; the ESM namespace can't).
    const nodeFs = createRequire(__filename)("node:fs") as { writeSync: (...args: unknown[]) => number };
    const original = nodeFs.writeSync;
    const writes: unknown[] = [];
    nodeFs.writeSync = (...args: unknown[]) => {
      writes.push(args[0]);
      return original(...args);
    };
    try {
      log.append(
        { event: "decision", command: "make", risk: "write", reasons: [], decision: "allow" },
        { event: "approval", command: "make", approver: "rule", verdict: "allow", reason: "allowed", durationMs: 0 },
      );
    } finally {
      nodeFs.writeSync = original;
    }
    expect(writes).toHaveLength(1);
    const lines = readLines(file);
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(["decision", "decision", "approval"]);
    expect(JSON.parse(lines[2]!).prev).toBe(hashLine(lines[1]!));
    expect(fs.statSync(file).size).toBeGreaterThan(sizeBefore);
    expect(verifyChain(file)).toMatchObject({ ok: true, records: 3 });
  });

  it("never writes a secret value", () => {
    const { file, log } = tempLog({ secrets: { GH_TOKEN: "ghp_abc123" } });
    log.addSecrets({ NPM_TOKEN: "npm_zzz" });
    log.append({ event: "decision", command: "curl -H 'Authorization: ghp_abc123' npm_zzz", risk: "network", reasons: ["ghp_abc123"], decision: "ask" });
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain("ghp_abc123");
    expect(text).not.toContain("npm_zzz");
    expect(text).toContain("[REDACTED:GH_TOKEN]");
    expect(text).toContain("[REDACTED:NPM_TOKEN]");
  });

  it("cuts a torn last line away and records its length, hash and bytes in a repair record", () => {
    const { file, log } = tempLog();
    appendDecisions(log, 3);
    const torn = '{"v":1,"seq":4,"time":"2025-01-0';
    fs.appendFileSync(file, torn);
    expect(verifyChain(file).problem).toMatchObject({ line: 4, reason: "truncated" });
    appendDecisions(log, 1, "after");
    const lines = readLines(file).map((line) => JSON.parse(line));
    expect(lines.map((record) => record.event)).toEqual(["decision", "decision", "decision", "repair", "decision"]);
    expect(lines[3].torn).toEqual({ bytes: torn.length, sha256: hashLine(torn), base64: Buffer.from(torn).toString("base64") });
    expect(verifyChain(file)).toMatchObject({ ok: true, records: 5 });
  });

  it("repairs a torn first line of a fresh file", () => {
    const { file, log } = tempLog();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"v":1,"se');
    appendDecisions(log, 1);
    const lines = readLines(file).map((line) => JSON.parse(line));
    expect(lines.map((record) => [record.event, record.seq, record.prev])).toEqual([["repair", 1, GENESIS_HASH], ["decision", 2, hashLine(readLines(file)[0])]]);
    expect(verifyChain(file).ok).toBe(true);
  });
});

describe("rotation", () => {
  it("moves audit.jsonl to audit.1.jsonl … and carries the last hash into the new file", () => {
    const { file, log } = tempLog({ maxBytes: 1000, keep: 3 });
    appendDecisions(log, 12);
    const files = chainFiles(file);
    expect(files.map((each) => path.basename(each))).toEqual(["audit.3.jsonl", "audit.2.jsonl", "audit.1.jsonl", "audit.jsonl"].slice(4 - files.length));
    for (const each of files) expect(fs.statSync(each).size).toBeLessThanOrEqual(1000);
    const lastOfOld = readLines(files[files.length - 2]).pop() as string;
    expect(JSON.parse(readLines(file)[0]).prev).toBe(hashLine(lastOfOld));
    expect(verifyChain(file)).toMatchObject({ ok: true, lastSeq: 12 });
  });

  it("never deletes history: with N rotated files kept, an append that would rotate fails instead", () => {
    const { file, log } = tempLog({ maxBytes: 600, keep: 2 });
    let appended = 0;
    const full = (() => {
      try {
        for (; appended < 40; appended++) appendDecisions(log, 1);
      } catch (error) {
        return error as SafeShError;
      }
      return undefined;
    })();
    expect(full).toMatchObject({ code: "ERR_SAFESH_AUDIT_UNAVAILABLE", message: expect.stringMatching(/the audit trail is full/) });
    expect(full?.hint).toMatch(/archive the rotated files/);
    expect(chainFiles(file).map((each) => path.basename(each))).toEqual(["audit.2.jsonl", "audit.1.jsonl", "audit.jsonl"]);
    expect(verifyChain(file)).toMatchObject({ ok: true, start: "genesis", lastSeq: appended });
  });

  it("after the user archives the rotated files, appends go on and verify starts from the oldest kept record", () => {
    const { dir, file, log } = tempLog({ maxBytes: 600, keep: 2 });
    appendDecisions(log, 6);
    expect(() => appendDecisions(log, 40)).toThrow(SafeShError);
    const archive = path.join(dir, "archive");
    fs.mkdirSync(archive);
    for (const each of chainFiles(file).slice(0, -1)) fs.renameSync(each, path.join(archive, path.basename(each)));
    appendDecisions(log, 3, "after");
    expect(verifyChain(file)).toMatchObject({ ok: true, start: "rotated" });
  });

  it("detects a deleted rotated file", () => {
    const { file, log } = tempLog({ maxBytes: 1000, keep: 3 });
    appendDecisions(log, 12);
    fs.rmSync(chainFiles(file)[1]);
    expect(verifyChain(file).problem?.reason).toBe("deleted");
  });
});

describe("failures", () => {
  function blockedLog(bestEffort: boolean) {
    const { dir } = tempLog();
    fs.writeFileSync(path.join(dir, "not-a-dir"), "");
    return openAudit({ path: path.join(dir, "not-a-dir", "audit.jsonl"), bestEffort });
  }

  it("throws ERR_SAFESH_AUDIT_UNAVAILABLE (exit 125) when the log cannot be written", () => {
    const log = blockedLog(false);
    let caught: unknown;
    try {
      appendDecisions(log, 1);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SafeShError);
    expect((caught as SafeShError).code).toBe("ERR_SAFESH_AUDIT_UNAVAILABLE");
    expect((caught as SafeShError).exitCode).toBe(125);
  });

  it("returns a warning instead with bestEffort", () => {
    const log = blockedLog(true);
    expect(log.append({ event: "decision", command: "ls", risk: "read-only", reasons: [], decision: "allow" })).toMatch(/audit/);
  });
});

describe("auditPath", () => {
  it("prefers the configured path, then SAFE_SH_AUDIT_LOG, then XDG_STATE_HOME, then ~/.local/state", () => {
    expect(auditPath("/cfg/a.jsonl", { SAFE_SH_AUDIT_LOG: "/env/a.jsonl" })).toBe("/cfg/a.jsonl");
    expect(auditPath(undefined, { SAFE_SH_AUDIT_LOG: "/env/a.jsonl", XDG_STATE_HOME: "/xdg" })).toBe("/env/a.jsonl");
    expect(auditPath(undefined, { XDG_STATE_HOME: "/xdg" })).toBe("/xdg/safe-sh/audit.jsonl");
    expect(auditPath(undefined, {})).toMatch(/\/\.local\/state\/safe-sh\/audit\.jsonl$/);
    // One state directory for everything safe-sh keeps: SAFE_SH_STATE_DIR moves the trail too.
    expect(auditPath(undefined, { SAFE_SH_STATE_DIR: "/state", XDG_STATE_HOME: "/xdg" })).toBe("/state/audit.jsonl");
    expect(auditDir(undefined, { XDG_STATE_HOME: "/xdg" })).toBe("/xdg/safe-sh");
  });
});
