// The audit log under faults: paths of every file type, an impossible
// directory, records of hostile size. Each fails at once with a typed error
// or is stored capped; nothing hangs, spins or follows a planted symlink.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { chainFiles, openAudit, verifyChain } from "../../src/audit";
import { MAX_COMMAND_CHARS } from "../../src/audit/cap";
import { sha256Hex } from "../../src/sandbox/native";
import { appendDecisions, readLines, tempLog } from "../unit/audit/log-fixture";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function logAt(make: (file: string) => void) {
  const { dir, file } = tempLog();
  dirs.push(dir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  make(file);
  return { file, log: openAudit({ path: file }) };
}

function appendFails(log: ReturnType<typeof openAudit>): string {
  const started = Date.now();
  try {
    appendDecisions(log, 1);
  } catch (error) {
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ code: "ERR_SAFESH_AUDIT_UNAVAILABLE" });
    return (error as Error).message;
  }
  throw new Error("expected ERR_SAFESH_AUDIT_UNAVAILABLE");
}

describe("log paths of every type", () => {
  it("a regular file is appended to (the other side)", () => {
    const { file, log } = logAt((f) => fs.writeFileSync(f, ""));
    appendDecisions(log, 2);
    expect(verifyChain(file)).toMatchObject({ ok: true, lastSeq: 2 });
  });

  it.each([
    ["a FIFO", (file: string) => execFileSync("mkfifo", [file]), /is a FIFO, not a regular file/],
    ["a symlink to a regular file", (file: string) => { fs.writeFileSync(`${file}.target`, ""); fs.symlinkSync(`${file}.target`, file); }, /is a symbolic link/],
    ["a symlink to /dev/null", (file: string) => fs.symlinkSync("/dev/null", file), /is a symbolic link/],
    ["a directory", (file: string) => fs.mkdirSync(file), /EISDIR/],
  ])("%s is refused with the kind named", (_kind, make, why) => {
    const { file, log } = logAt(make);
    expect(appendFails(log)).toMatch(why);
    if (fs.existsSync(`${file}.target`)) expect(fs.readFileSync(`${file}.target`, "utf8")).toBe("");
  });

  it("a log replaced by a symlink between appends is not followed into a new chain", () => {
    const { file, log } = logAt(() => undefined);
    appendDecisions(log, 2);
    fs.renameSync(file, `${file}.moved`);
    fs.writeFileSync(`${file}.elsewhere`, "");
    fs.symlinkSync(`${file}.elsewhere`, file);
    expect(appendFails(log)).toMatch(/is a symbolic link/);
    expect(fs.readFileSync(`${file}.elsewhere`, "utf8")).toBe("");
  });

  it("a directory that cannot exist (/proc/nope) fails at once instead of spinning", () => {
    const child = spawnSync(process.execPath, ["-e", `
      const { openAudit } = require(${JSON.stringify(path.resolve("dist/audit"))});
      try { openAudit({ path: "/proc/nope/audit.jsonl" }).append({ event: "decision", command: "x", risk: "read-only", reasons: [], decision: "allow" }); }
      catch (error) { console.log(error.code); }`], { encoding: "utf8", timeout: 10_000 });
    expect(child.error).toBeUndefined();
    expect(child.stdout.trim()).toBe("ERR_SAFESH_AUDIT_UNAVAILABLE");
  });
});

describe("record size cap", () => {
  it("a short command is stored whole; a 1 MB command is cut, with its full size and SHA-256", () => {
    const { file, log } = logAt(() => undefined);
    const huge = "echo ".padEnd(1_000_000, "x");
    log.append({ event: "decision", command: "echo short", risk: "read-only", reasons: ["r".repeat(50_000), ...Array(1000).fill("reason")], decision: "allow" });
    log.append({ event: "decision", command: huge, risk: "read-only", reasons: [], decision: "allow" });
    const [short, long] = readLines(file).map((line) => JSON.parse(line));
    expect(short.command).toBe("echo short");
    expect(short.commandFull).toBeUndefined();
    expect(short.reasons.length).toBeLessThanOrEqual(17);
    expect(JSON.stringify(short).length).toBeLessThan(64 * 1024);
    expect(long.command.startsWith(huge.slice(0, MAX_COMMAND_CHARS))).toBe(true);
    expect(long.commandFull).toEqual({ chars: 1_000_000, bytes: 1_000_000, sha256: sha256Hex(Buffer.from(huge)) });
    expect(fs.statSync(file).size).toBeLessThan(64 * 1024);
    expect(verifyChain(file).ok).toBe(true);
  });

  it("sixteen 1 MB commands don't rotate earlier history away", () => {
    const { file, log } = logAt(() => undefined);
    appendDecisions(log, 3, "early");
    for (let i = 0; i < 16; i++) log.append({ event: "decision", command: "x".repeat(1_000_000), risk: "read-only", reasons: [], decision: "allow" });
    expect(chainFiles(file)).toEqual([file]);
    expect(verifyChain(file)).toMatchObject({ ok: true, start: "genesis", lastSeq: 19 });
  });
});

describe("verify and tail on logs of the wrong type", () => {
  it("verify on a FIFO refuses at once instead of hanging", () => {
    const { file } = logAt((f) => execFileSync("mkfifo", [f]));
    expect(() => verifyChain(file)).toThrow(/is a FIFO, not a regular file/);
  });
});
