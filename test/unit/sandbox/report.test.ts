// The launcher's report pipe read back: the enforcement line settles at exec
// (its newline), the limits reached settle at EOF (the launcher's exit).
import { describe, expect, it } from "vitest";
import { reportCollector } from "../../../src/sandbox/report";

const REPORT = { landlock: null, seccomp: true, noNewPrivs: true, capabilitiesDropped: true, namespaces: [], readOnlyView: false, privateTmp: false, protected: 0, masked: 0, limits: { pids: "cgroup v1", memory: "RLIMIT_DATA" }, missing: [] };

describe("reportCollector", () => {
  it("settles the report at its first complete line, before EOF", async () => {
    const collector = reportCollector();
    const line = Buffer.from(`${JSON.stringify(REPORT)}\n`);
    collector.push(line.subarray(0, 10));
    collector.push(line.subarray(10));
    expect(await collector.report).toEqual(REPORT);
  });

  it("settles the limits reached from the line after the run", async () => {
    const collector = reportCollector();
    collector.push(Buffer.from(`${JSON.stringify(REPORT)}\n{"limitsReached":["pids","memory","bogus"]}\n`));
    collector.end();
    expect(await collector.limitsReached).toEqual(["pids", "memory"]);
  });

  it("settles nothing reached, and no report, when the launcher ended before exec", async () => {
    const collector = reportCollector();
    collector.end();
    expect(await collector.report).toBeUndefined();
    expect(await collector.limitsReached).toEqual([]);
  });
});
