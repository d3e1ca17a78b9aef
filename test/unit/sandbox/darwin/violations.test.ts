// Reading a run's Seatbelt denials from unified-log lines, and what they
// tell on-failure; `log stream` itself is replaced by a scripted process.
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { grantHint, logStreamArgs, parseViolation, violationEvent, watchViolations } from "../../../../src/sandbox/darwin/violations";

const line = (message: string) => JSON.stringify({ eventMessage: message, processImagePath: "/kernel" });

describe("parseViolation", () => {
  it("reads process, pid, operation and path from a tagged denial", () => {
    expect(parseViolation(line("Sandbox: touch(4242) deny(1) file-write-create /Users/dev/x safe-sh:run-1"), "run-1")).toEqual({ runId: "run-1", process: "touch", pid: 4242, operation: "file-write-create", target: "/Users/dev/x" });
  });

  it("finds the tag wherever the log puts it, and keeps paths with spaces", () => {
    expect(parseViolation("safe-sh:run-1 Sandbox: python3.12(7) deny(1) file-read-data /Users/dev/Library/Application Support/x", "run-1")).toMatchObject({ operation: "file-read-data", target: "/Users/dev/Library/Application Support/x" });
  });

  it("reads a denial without a target", () => {
    expect(parseViolation(line("Sandbox: node(9) deny(1) mach-lookup safe-sh:run-1"), "run-1")).toEqual({ runId: "run-1", process: "node", pid: 9, operation: "mach-lookup" });
  });

  it("ignores another run's denials, a run whose id extends this one, and other lines", () => {
    expect(parseViolation(line("Sandbox: touch(1) deny(1) file-write-create /x safe-sh:run-2"), "run-1")).toBeUndefined();
    expect(parseViolation(line("Sandbox: touch(1) deny(1) file-write-create /x safe-sh:run-10"), "run-1")).toBeUndefined();
    expect(parseViolation(line("Filtering the log data using ..."), "run-1")).toBeUndefined();
    expect(parseViolation("{not json", "run-1")).toBeUndefined();
  });
});

describe("what denials mean for the audit trail and on-failure", () => {
  const violations = [
    { runId: "r", process: "touch", pid: 1, operation: "file-write-create", target: "/Users/dev/other/x" },
    { runId: "r", process: "cat", pid: 2, operation: "file-read-data", target: "/Users/dev/.ssh/id_ed25519" },
    { runId: "r", process: "curl", pid: 3, operation: "network-outbound", target: "93.184.216.34:443" },
  ];

  it("suggests the writable root, the read path and the network the run lacked", () => {
    expect(grantHint(violations)).toEqual({ writableRoots: ["/Users/dev/other"], readPaths: ["/Users/dev/.ssh/id_ed25519"], network: true });
    expect(grantHint([])).toEqual({ writableRoots: [], readPaths: [], network: false });
  });

  it("turns a denial into a violation audit event of its run", () => {
    expect(violationEvent(violations[0]!, "touch ../other/x")).toEqual({ event: "violation", command: "touch ../other/x", runId: "r", process: "touch", pid: 1, operation: "file-write-create", target: "/Users/dev/other/x" });
  });
});

describe("watchViolations", () => {
  it("streams `log stream --predicate` for the run and returns its denials on stop()", async () => {
    const calls: Array<[string, string[]]> = [];
    const stdout = new PassThrough();
    const fake = Object.assign(new EventEmitter(), { stdout, exitCode: null, signalCode: null, kill: () => (setImmediate(() => fake.emit("close", 0)), true) });
    const watcher = watchViolations("run-1", (file, args) => {
      calls.push([file, args]);
      return fake as unknown as ChildProcess;
    });
    stdout.write(`${line("Sandbox: touch(5) deny(1) file-write-create /etc/x safe-sh:run-1")}\n${line("Sandbox: touch(6) deny(1) file-write-create /etc/y safe-sh:run-2")}\n`);
    const found = await watcher.stop();
    expect(calls).toEqual([["/usr/bin/log", logStreamArgs("run-1")]]);
    expect(logStreamArgs("run-1")).toContain('eventMessage CONTAINS "safe-sh:run-1"');
    expect(found).toEqual([{ runId: "run-1", process: "touch", pid: 5, operation: "file-write-create", target: "/etc/x" }]);
  });
});
