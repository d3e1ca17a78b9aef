// Allow rules learnt from the trail: commands a human or the reviewer approved
// "always" or again and again under one argv prefix, as ready-to-paste TOML.
import { parse as parseShell } from "shell-quote";
import { stringify } from "smol-toml";
import type { AuditRecord } from "./record";
import { readVerdict } from "../verdict";

export interface RuleSuggestion {
  prefix: string[];
  /** Approvals of commands under the prefix, by approver. */
  by: Record<string, number>;
  approvals: number;
  /** A human answered "always" for one of them. */
  always: boolean;
  /** One approved command, kept as the rule's `match` example. */
  example: string[];
}

/** Approvers whose "yes" is a judgement worth turning into a rule (not a rule's own). */
const JUDGES = new Set(["human", "reviewer", "session"]);

/** A simple command's argv; undefined for scripts with operators, globs or substitutions. */
export function simpleArgv(command: string): string[] | undefined {
  let words: ReturnType<typeof parseShell>;
  try {
    words = parseShell(command, (name) => `$${name}`);
  } catch {
    return undefined;
  }
  if (words.length === 0 || !words.every((word): word is string => typeof word === "string")) return undefined;
  return words.includes("") || command.includes("$") || command.includes("`") ? undefined : words;
}

function commonPrefix(lists: string[][]): string[] {
  const first = lists[0]!;
  let length = first.length;
  for (const list of lists) {
    let i = 0;
    while (i < length && i < list.length && list[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length);
}

const startsWith = (argv: string[], prefix: string[]) => prefix.every((word, i) => argv[i] === word);
const isAlways = (record: AuditRecord) => record.scope === "always" || String(record.reason ?? "").startsWith("approved always");

/**
 * Groups approved simple commands by their first two words and suggests the
 * longest prefix they share, when approved at least `minRepeats` times (or
 * once "always"), never privileged, and no command under the prefix or the
 * same two words was ever denied.
 */
export function suggestRules(records: AuditRecord[], minRepeats: number): RuleSuggestion[] {
  // Only approvals of commands: the decision record of the same run says it was one, and its risk.
  const decided = new Map<string, AuditRecord>();
  for (const record of records) if (record.event === "decision" && typeof record.runId === "string") decided.set(record.runId, record);
  const approved: { argv: string[]; record: AuditRecord }[] = [];
  const denied: string[][] = [];
  for (const record of records) {
    if (record.event !== "approval" && record.event !== "decision") continue;
    const argv = simpleArgv(String(record.command ?? ""));
    if (!argv) continue;
    const verdict = readVerdict(record.event === "approval" ? record.verdict : record.decision);
    if (verdict === "deny") denied.push(argv);
    const decision = decided.get(String(record.runId));
    if (record.event !== "approval" || !JUDGES.has(String(record.approver)) || verdict !== "allow") continue;
    if (!decision || decision.command !== record.command || decision.risk === "privileged") continue;
    approved.push({ argv, record });
  }
  const groups = new Map<string, typeof approved>();
  for (const item of approved) {
    const key = JSON.stringify(item.argv.slice(0, 2));
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const suggestions: RuleSuggestion[] = [];
  for (const group of groups.values()) {
    const always = group.some(({ record }) => isAlways(record));
    if (group.length < minRepeats && !always) continue;
    const prefix = commonPrefix(group.map(({ argv }) => argv));
    // A denial nearby says the prefix is not routine: an allow rule could wave it, or its kin, through.
    if (denied.some((argv) => startsWith(argv, prefix) || startsWith(argv, group[0]!.argv.slice(0, 2)))) continue;
    const by: Record<string, number> = {};
    for (const { record } of group) by[String(record.approver)] = (by[String(record.approver)] ?? 0) + 1;
    suggestions.push({ prefix, by, approvals: group.length, always, example: group.at(-1)!.argv });
  }
  return suggestions.sort((a, b) => b.approvals - a.approvals || a.prefix.join(" ").localeCompare(b.prefix.join(" ")));
}

/** The suggestions as `[[rules]]` tables, one block each, ready to paste into config.toml. */
export function suggestionsToml(suggestions: RuleSuggestion[]): string {
  return suggestions
    .map((suggestion) => {
      const who = Object.entries(suggestion.by).map(([approver, n]) => `${approver} ${n}`).join(", ");
      const reason = `approved ${suggestion.approvals} time(s)${suggestion.always ? ", once always" : ""} (${who}); learnt by safe-sh audit stats`;
      return stringify({ rules: [{ prefix: suggestion.prefix, decision: "allow", reason, match: [suggestion.example] }] }).trimEnd();
    })
    .map((block) => `${block}\n`)
    .join("\n");
}
