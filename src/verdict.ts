// The one verdict vocabulary — allow, ask, deny — said by policy rules, decide(),
// approvers, the audit trail and every front end, and the older spellings still read.

/** Verdicts, mildest first: a script takes the strictest of its parts'. */
export const VERDICTS = ["allow", "ask", "deny"] as const;
export type Verdict = (typeof VERDICTS)[number];
/** An approver's final word: an "ask" resolved. */
export type Answer = Exclude<Verdict, "ask">;
/** What a reviewer (program or model) may answer: a final word, or "escalate" (a human should decide). */
export const REVIEW_VERDICTS = ["allow", "deny", "escalate"] as const satisfies readonly (Answer | "escalate")[];
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

/**
 * A reviewer's answer, current or old: reviewers (reviewer protocol 1, review
 * records of audit record version 1, cached reviews) said "approve" for
 * "allow", and existing reviewer programs still may. Undefined for anything else.
 */
export function readReviewVerdict(word: unknown): ReviewVerdict | undefined {
  if (word === "approve") return "allow";
  return (REVIEW_VERDICTS as readonly unknown[]).includes(word) ? (word as ReviewVerdict) : undefined;
}

/**
 * Any verdict word found in an audit record, as a current one: the review
 * words above, and run/refuse, which decisions were once logged as.
 */
export function readVerdict(word: unknown): Verdict | "escalate" | undefined {
  if (word === "ask") return "ask";
  if (word === "run") return "allow";
  if (word === "refuse") return "deny";
  return readReviewVerdict(word);
}

/** The strictest of some verdicts ("allow" for none). */
export function strictest(verdicts: Iterable<Verdict>): Verdict {
  let worst = 0;
  for (const verdict of verdicts) worst = Math.max(worst, VERDICTS.indexOf(verdict));
  return VERDICTS[worst]!;
}

/** True when `a` is stricter than `b`. */
export function stricter(a: Verdict, b: Verdict): boolean {
  return VERDICTS.indexOf(a) > VERDICTS.indexOf(b);
}
