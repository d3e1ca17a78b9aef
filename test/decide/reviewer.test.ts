// The reviewer approver against real reviewer processes: verdicts pass
// through; timeouts (whole group killed), crashes and bad output deny.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runReviewer } from "../../src/decide/approvers/reviewer";
import { decide } from "../../src/decide/decide";
import type { ApprovalRequest } from "../../src/decide/types";
import { command, policyWith, script } from "../unit/decide/helpers";

let dir: string;
const reviewer = (name: string, body: string): string[] => {
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(file, body);
  return [process.execPath, file];
};
const readAll = 'let s="";process.stdin.on("data",c=>s+=c);process.stdin.on("end",()=>main(JSON.parse(s)));\n';

function request(): ApprovalRequest {
  const classification = script([command(["rm", "-r", "build"], "destructive", ["rm -r: recursive delete of build"])]);
  const policy = policyWith();
  return { command: "rm -r build", classification, cwd: dir, mode: "on-request", decision: decide(classification, policy, { cwd: dir }) };
}

function alive(pid: number): boolean {
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== "Z";
  } catch {
    return false;
  }
}

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-reviewer-")));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("verdicts", () => {
  it.each(["allow", "deny", "escalate"] as const)("passes %s through with its reason", async (verdict) => {
    const cmd = reviewer(verdict, `process.stdin.resume();process.stdin.on("end",()=>console.log(JSON.stringify({verdict:"${verdict}",reason:"because"})));`);
    expect(await runReviewer({ command: cmd, timeoutMs: 10_000 }, request())).toEqual({ verdict, reason: "because" });
  });

  it("receives the request on stdin: command, argv of each command, cwd, risk, reasons, mode, grant", async () => {
    const seen = path.join(dir, "seen.json");
    const cmd = reviewer("echo", `${readAll}function main(r){require("fs").writeFileSync(${JSON.stringify(seen)},JSON.stringify(r));console.log('{"verdict":"allow"}')}`);
    expect((await runReviewer({ command: cmd, timeoutMs: 10_000 }, request())).verdict).toBe("allow");
    const sent = JSON.parse(fs.readFileSync(seen, "utf8"));
    expect(sent).toMatchObject({
      version: 1,
      command: "rm -r build",
      commands: [{ argv: ["rm", "-r", "build"], wrappers: [], risk: "destructive" }],
      cwd: dir,
      risk: "destructive",
      mode: "on-request",
      grant: { sandbox: "workspace-write", network: "none", writableRoots: [] },
      escalation: false,
    });
  });
});

describe("fails closed", () => {
  it("kills the reviewer's whole process group at the timeout and denies", async () => {
    const pidFile = path.join(dir, "grandchild.pid");
    // A shell starts in milliseconds, so the grandchild exists well before the timeout.
    const cmd = ["/bin/sh", "-c", `sleep 30 & echo $! > '${pidFile}'; sleep 30`];
    const started = Date.now();
    const result = await runReviewer({ command: cmd, timeoutMs: 1_000 }, request());
    expect(result.verdict).toBe("deny");
    expect(Date.now() - started).toBeLessThan(6_000);
    const grandchild = Number(fs.readFileSync(pidFile, "utf8"));
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(grandchild)).toBe(false);
  });

  it.each([
    ["exits non-zero", `process.stdin.resume();process.stdin.on("end",()=>{console.log('{"verdict":"approve"}');process.exit(3)});`],
    ["crashes", `throw new Error("boom")`],
    ["prints something else", `process.stdin.resume();process.stdin.on("end",()=>console.log("yes please"));`],
    ["prints an unknown verdict", `process.stdin.resume();process.stdin.on("end",()=>console.log('{"verdict":"maybe"}'));`],
    ["dies by a signal", `process.kill(process.pid,"SIGTERM")`],
  ])("denies when the reviewer %s", async (_what, body) => {
    const cmd = reviewer(`bad-${_what.replace(/\W/g, "")}`, body);
    expect((await runReviewer({ command: cmd, timeoutMs: 10_000 }, request())).verdict).toBe("deny");
  });

  it("denies when the reviewer cannot be started", async () => {
    expect((await runReviewer({ command: [path.join(dir, "missing")], timeoutMs: 10_000 }, request())).verdict).toBe("deny");
  });
});
