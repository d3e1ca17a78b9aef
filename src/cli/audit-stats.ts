// `safe-sh audit stats`: read the whole chain (rotated files too), summarise
// it, and print a plain table, or JSON with --json.
import fs = require("node:fs");
import { SafeShError } from "../errors";
import { chainFiles } from "../audit";
import { logPath } from "./audit-path";
import { parseRecord, type AuditRecord } from "../audit/record";
import { auditStats, type AuditStats } from "../audit/stats";
import { suggestionsToml } from "../audit/suggest";
import { REVIEW_VERDICTS, VERDICTS } from "../verdict";

export const STATS_HELP = `  safe-sh audit stats [--since WHEN] [--min-repeats N] [--json] [--log PATH]
               decisions by risk, rule and mode; each approver's approve/deny/escalate;
               the reviewer's models, latency, failures and agreement with the human;
               repeated approvals as ready-to-paste [[rules]] (WHEN: ISO time or 30m, 24h, 7d)`;

function usage(message: string): SafeShError {
  return new SafeShError("ERR_SAFESH_USAGE", message, "see `safe-sh audit --help`");
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `24h`, `7d`, `30m` before now, or an ISO date/time. Throws ERR_SAFESH_USAGE. */
export function parseSince(text: string, now = Date.now()): Date {
  const relative = /^(\d+)([mhd])$/.exec(text);
  if (relative) return new Date(now - Number(relative[1]) * UNITS[relative[2]!]!);
  const time = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time)) throw usage(`--since ${text}: expected an ISO time (2026-12-01, 2026-12-01T10:00Z) or 30m, 24h, 7d`);
  return new Date(time);
}

function readRecords(file: string): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (const name of chainFiles(file)) {
    let text: string;
    try {
      text = fs.readFileSync(name, "utf8");
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw new SafeShError("ERR_SAFESH_AUDIT_UNAVAILABLE", `cannot read ${name}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, "check --log PATH and that you may read it", { cause });
    }
    for (const line of text.split("\n")) {
      const record = line ? parseRecord(line) : undefined;
      if (record) records.push(record);
    }
  }
  return records;
}

/** Rows of `label  a  b  c` with every column padded to its widest cell. */
function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row) => `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")}`.trimEnd()).join("\n");
}

function countsTable(title: string, data: Record<string, Record<string, number>>, columns: string[]): string {
  const rows = Object.entries(data).map(([key, counts]) => [key, ...columns.map((column) => counts[column] ?? 0)]);
  return rows.length === 0 ? `${title}: none` : `${title}:\n${table(["", ...columns], rows)}`;
}

export function formatStats(stats: AuditStats): string {
  const { decisions, reviewer, agreement } = stats;
  const verdicts = [...VERDICTS];
  const parts = [
    `${stats.records} records${stats.first ? ` from ${stats.first} to ${stats.last}` : ""}; ${decisions.total} decisions`,
    countsTable("Decisions by risk", decisions.byRisk, verdicts),
    countsTable("Decisions by rule", decisions.byRule, verdicts),
    countsTable("Decisions by approval mode", decisions.byMode, verdicts),
    countsTable("Approvers", stats.approvers, [...REVIEW_VERDICTS]),
    reviewer.reviews === 0
      ? "Reviewer model: no reviews"
      : `Reviewer model: ${reviewer.reviews} reviews, ${reviewer.cached} from the cache, ${reviewer.hardRules} by hard rule` +
        `${Object.keys(reviewer.failures).length ? `; failures (denied): ${Object.entries(reviewer.failures).map(([kind, n]) => `${kind} ${n}`).join(", ")}` : ""}\n` +
        table(["", "reviews", "median ms", "tokens in", "tokens out"], Object.entries(reviewer.models).map(([name, m]) => [name, m.reviews, m.medianLatencyMs, m.inputTokens, m.outputTokens])),
    `Reviewer vs human: ${agreement.compared} compared, ${agreement.agreed} agreed; reviewer escalated then human allowed ${agreement.escalatedThenHuman.allow}, denied ${agreement.escalatedThenHuman.deny}` +
      agreement.disagreements.slice(0, 10).map((d) => `\n  reviewer ${d.reviewer}, human ${d.human}: ${d.command}`).join(""),
    stats.suggestions.length === 0
      ? "Suggested rules: none (no prefix approved repeatedly or always)"
      : `Suggested rules (paste into config.toml):\n\n${suggestionsToml(stats.suggestions)}`,
  ];
  return `${parts.join("\n\n")}\n`;
}

/** `safe-sh audit stats ...`; returns the exit status. */
export function stats(args: string[]): number {
  let log: string | undefined;
  let json = false;
  let since: Date | undefined;
  let minRepeats = 3;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--json") {
      json = true;
      continue;
    }
    if (!["--log", "--since", "--min-repeats"].includes(arg)) throw usage(`unknown option ${arg}`);
    const value = args[++i];
    if (value === undefined) throw usage(`${arg} needs a value`);
    if (arg === "--log") log = value;
    else if (arg === "--since") since = parseSince(value);
    else if (/^[1-9]\d{0,5}$/.test(value)) minRepeats = Number(value);
    else throw usage(`--min-repeats needs a positive integer, not ${value}`);
  }
  const summary = auditStats(readRecords(logPath(log === undefined ? {} : { log })), { ...(since ? { since } : {}), minRepeats });
  process.stdout.write(json ? `${JSON.stringify({ ...summary, suggestedToml: suggestionsToml(summary.suggestions) }, null, 2)}\n` : formatStats(summary));
  return 0;
}
