// Test helper: a fresh temporary audit log with a few decision records.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openAudit, type AuditLog, type AuditOptions } from "../../../src/audit";

export function tempLog(options: Omit<AuditOptions, "path"> = {}): { dir: string; file: string; log: AuditLog } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-audit-"));
  const file = path.join(dir, "state", "audit.jsonl");
  return { dir, file, log: openAudit({ ...options, path: file }) };
}

export function appendDecisions(log: AuditLog, count: number, prefix = "cmd"): void {
  for (let i = 1; i <= count; i++) {
    log.append({ event: "decision", command: `${prefix} ${i}`, risk: "read-only", reasons: ["test"], decision: "allow" });
  }
}

export function readLines(file: string): string[] {
  return fs.readFileSync(file, "utf8").split("\n").slice(0, -1);
}

export function writeLines(file: string, lines: string[]): void {
  fs.writeFileSync(file, lines.map((line) => `${line}\n`).join(""));
}
