// Prefix rules over argv: matching, strictest-wins among the rules matching
// a command, and the match/notMatch examples checked when a file loads.
import path = require("node:path");
import { stricter } from "../verdict";
import type { Rule } from "./types";

/** A rule that matched one command of a script. */
export interface RuleMatch {
  rule: Rule;
  argv: string[];
}

/**
 * True when argv starts with the prefix. The program word also matches by
 * basename (`/bin/rm` matches `rm`) so a path can't slip past a deny rule.
 */
export function matchesPrefix(prefix: readonly string[], argv: readonly string[]): boolean {
  if (argv.length < prefix.length || prefix.length === 0) return false;
  return prefix.every((word, i) => {
    const actual = argv[i]!;
    if (actual === word) return true;
    return i === 0 && !word.includes("/") && path.posix.basename(actual) === word;
  });
}

/** The strictest rule matching this argv (deny > ask > allow; first in order on a tie). */
export function matchCommand(rules: readonly Rule[], argv: readonly string[]): Rule | undefined {
  let best: Rule | undefined;
  for (const rule of rules) {
    if (!matchesPrefix(rule.prefix, argv)) continue;
    if (best === undefined || stricter(rule.decision, best.decision)) best = rule;
  }
  return best;
}

/**
 * Checks a rule's `match` / `notMatch` examples. Returns one line per failing
 * example (empty when all hold); the loader turns them into
 * ERR_SAFESH_POLICY_INVALID naming the rule.
 */
export function checkExamples(rule: Pick<Rule, "prefix" | "match" | "notMatch">): string[] {
  const failures: string[] = [];
  for (const example of rule.match) {
    if (!matchesPrefix(rule.prefix, example)) failures.push(`match example ${JSON.stringify(example)} is not matched by the prefix`);
  }
  for (const example of rule.notMatch) {
    if (matchesPrefix(rule.prefix, example)) failures.push(`notMatch example ${JSON.stringify(example)} is matched by the prefix`);
  }
  return failures;
}

/** `rules[2] (prefix ["git","push"])`: how errors and reasons name a rule. */
export function describeRule(rule: Pick<Rule, "prefix" | "index">): string {
  return `rules[${rule.index}] (prefix ${JSON.stringify(rule.prefix)})`;
}
