// Verdicts reused for the same (script, cwd, grant, policy hash, model) within
// a time-to-live: a small JSON file under the state dir, since each review is
// a new process. Only the model's verdicts are kept, never failures.
import crypto = require("node:crypto");
import fs = require("node:fs");
import path = require("node:path");
import type { Policy, ReviewerModelConfig } from "../policy/types";
import type { ReviewRequest } from "./request";
import type { ModelVerdict } from "./verdict";
import { readReviewVerdict } from "../verdict";

/** Newest entries kept; older ones are dropped when the file is rewritten. */
const MAX_ENTRIES = 500;

interface Entry {
  verdict: ModelVerdict["verdict"];
  reason: string;
  /** Milliseconds since the epoch. */
  expires: number;
}

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");

/** The policy's hash: a rule or mode change (an "always" answer, an edited file) starts afresh. */
export function policyHash(policy: Policy): string {
  return sha256(JSON.stringify(policy));
}

export function cacheKey(request: ReviewRequest, policy: Policy, model: ReviewerModelConfig): string {
  const { command, cwd, grant, mode, escalation } = request;
  return sha256(JSON.stringify([command, cwd, grant, mode, escalation, policyHash(policy), model.api, model.url, model.model]));
}

function load(file: string): Record<string, Entry> {
  try {
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as { entries?: Record<string, Entry> };
    return typeof data.entries === "object" && data.entries !== null ? data.entries : {};
  } catch {
    return {}; // missing or unreadable: a cache miss, never an error
  }
}

export class VerdictCache {
  constructor(
    readonly file: string,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): ModelVerdict | undefined {
    const entry = load(this.file)[key];
    // Entries written before "approve" became "allow" still count.
    const verdict = readReviewVerdict(entry?.verdict);
    if (!entry || entry.expires <= this.now() || verdict === undefined) return undefined;
    return { verdict, reason: String(entry.reason) };
  }

  /** Best effort: a cache that cannot be written only costs another model call. */
  put(key: string, verdict: ModelVerdict, ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    const now = this.now();
    const entries = Object.entries({ ...load(this.file), [key]: { verdict: verdict.verdict, reason: verdict.reason, expires: now + ttlSeconds * 1000 } })
      .filter(([, entry]) => entry.expires > now)
      .sort((a, b) => b[1].expires - a[1].expires)
      .slice(0, MAX_ENTRIES);
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const temporary = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify({ v: 1, entries: Object.fromEntries(entries) }), { mode: 0o600 });
      fs.renameSync(temporary, this.file); // readers see the old file or the new one, never half of one
    } catch {
      // ignored on purpose (see above)
    }
  }
}
