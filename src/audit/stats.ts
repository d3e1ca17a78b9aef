// `safe-sh audit stats` as data: decisions by risk, rule and mode, each
// approver's answers, and how the reviewer agreed with the human. Reads
// records tolerantly (older and newer verdict spellings alike).
import { readVerdict, type Answer, type ReviewVerdict } from "../verdict";
import type { AuditRecord } from "./record";
import { suggestRules, type RuleSuggestion } from "./suggest";

type Counts = Record<string, number>;

export interface ReviewerStats {
  reviews: number;
  cached: number;
  hardRules: number;
  /** Failure kind → count (each one denied). */
  failures: Counts;
  /** Model → reviews and latency of the calls that reached it. */
  models: Record<string, { reviews: number; medianLatencyMs: number; inputTokens: number; outputTokens: number }>;
}

export interface Agreement {
  /** Commands both the reviewer and a human approved or denied. */
  compared: number;
  agreed: number;
  disagreements: { command: string; reviewer: ReviewVerdict; human: Answer }[];
  /** Commands the reviewer escalated that a human then answered. */
  escalatedThenHuman: Record<Answer, number>;
}

export interface AuditStats {
  records: number;
  first?: string;
  last?: string;
  decisions: { total: number; byRisk: Record<string, Counts>; byRule: Record<string, Counts>; byMode: Record<string, Counts> };
  approvers: Record<string, Record<ReviewVerdict, number>>;
  reviewer: ReviewerStats;
  agreement: Agreement;
  suggestions: RuleSuggestion[];
}

function bump(table: Record<string, Counts>, key: string, column: string): void {
  const row = (table[key] ??= {});
  row[column] = (row[column] ?? 0) + 1;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function reviewerStats(reviews: AuditRecord[]): ReviewerStats {
  const stats: ReviewerStats = { reviews: reviews.length, cached: 0, hardRules: 0, failures: {}, models: {} };
  const latencies: Record<string, number[]> = {};
  for (const record of reviews) {
    if (record.cached === true) stats.cached++;
    if (record.hardRule === true) stats.hardRules++;
    if (typeof record.failure === "string") stats.failures[record.failure] = (stats.failures[record.failure] ?? 0) + 1;
    const name = `${String(record.api)}:${String(record.model)}`;
    const model = (stats.models[name] ??= { reviews: 0, medianLatencyMs: 0, inputTokens: 0, outputTokens: 0 });
    model.reviews++;
    const tokens = record.tokens as { input?: number; output?: number } | undefined;
    model.inputTokens += tokens?.input ?? 0;
    model.outputTokens += tokens?.output ?? 0;
    // Only calls that reached the model say how fast it is.
    if (record.cached !== true && record.hardRule !== true && typeof record.latencyMs === "number") (latencies[name] ??= []).push(record.latencyMs);
  }
  for (const [name, values] of Object.entries(latencies)) stats.models[name]!.medianLatencyMs = Math.round(median(values));
  return stats;
}

const commandKey = (record: AuditRecord) => `${record.cwd}\u0000${record.command}`;

/** The last reviewer answer and the last human answer per command, compared. */
function agreement(reviews: AuditRecord[], approvals: AuditRecord[]): Agreement {
  const reviewer = new Map<string, ReviewVerdict>();
  for (const record of reviews) {
    const answer = readVerdict(record.verdict);
    if (record.failure === undefined && record.hardRule !== true && answer && answer !== "ask") reviewer.set(commandKey(record), answer);
  }
  const human = new Map<string, { command: string; answer: Answer }>();
  for (const record of approvals) {
    const answer = readVerdict(record.verdict);
    if (record.approver === "human" && (answer === "allow" || answer === "deny")) human.set(commandKey(record), { command: String(record.command), answer });
  }
  const result: Agreement = { compared: 0, agreed: 0, disagreements: [], escalatedThenHuman: { allow: 0, deny: 0 } };
  for (const [key, { command, answer }] of human) {
    const said = reviewer.get(key);
    if (said === undefined) continue;
    if (said === "escalate") {
      result.escalatedThenHuman[answer]++;
      continue;
    }
    result.compared++;
    if (said === answer) result.agreed++;
    else result.disagreements.push({ command, reviewer: said, human: answer });
  }
  return result;
}

export interface StatsOptions {
  /** Only records at or after this time. */
  since?: Date;
  /** Approvals of one prefix needed before it is suggested as a rule. Default 3. */
  minRepeats?: number;
}

/** Summarises records (oldest first). */
export function auditStats(all: AuditRecord[], options: StatsOptions = {}): AuditStats {
  const since = options.since?.getTime();
  const records = since === undefined ? all : all.filter((record) => Date.parse(String(record.time)) >= since);
  const of = (event: string) => records.filter((record) => record.event === event);
  const decisions = of("decision");
  const approvals = of("approval");
  const reviews = of("review");

  const byRisk: Record<string, Counts> = {};
  const byRule: Record<string, Counts> = {};
  const byMode: Record<string, Counts> = {};
  for (const record of decisions) {
    const verdict = String(readVerdict(record.decision) ?? record.decision);
    bump(byRisk, String(record.risk), verdict);
    bump(byRule, String(record.rule ?? "-"), verdict);
    bump(byMode, String(record.approvalMode ?? "-"), verdict);
  }

  const approvers: Record<string, Record<ReviewVerdict, number>> = {};
  const count = (who: string, answer: ReviewVerdict) => {
    const row = (approvers[who] ??= { allow: 0, deny: 0, escalate: 0 });
    row[answer]++;
  };
  for (const record of approvals) {
    const answer = readVerdict(record.verdict);
    if (answer === "allow" || answer === "deny") count(String(record.approver), answer);
  }
  // An escalation leaves no approval record of its own: the review record says it.
  for (const record of reviews) if (readVerdict(record.verdict) === "escalate") count("reviewer", "escalate");

  return {
    records: records.length,
    ...(records.length > 0 ? { first: String(records[0]!.time), last: String(records.at(-1)!.time) } : {}),
    decisions: { total: decisions.length, byRisk, byRule, byMode },
    approvers,
    reviewer: reviewerStats(reviews),
    agreement: agreement(reviews, approvals),
    suggestions: suggestRules(records, options.minRepeats ?? 3),
  };
}
