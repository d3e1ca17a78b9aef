// The model's verdict, parsed strictly: exactly {verdict, reason}, a known
// verdict, a one-line reason. Anything else is a failure (and so a denial).
import { readReviewVerdict, type ReviewVerdict } from "../verdict";

export interface ModelVerdict {
  verdict: ReviewVerdict;
  reason: string;
  /** Tokens in and out, when the API reports them. */
  tokens?: { input: number; output: number };
}

/** Why no verdict came back; each one denies. */
export type FailureKind = "config" | "no-key" | "unreachable" | "timeout" | "http" | "invalid-output" | "refusal" | "truncated";

export interface ModelFailure {
  failure: FailureKind;
  detail: string;
}

export type ModelAnswer = ModelVerdict | ModelFailure;

const MAX_REASON_CHARS = 300;

export const failed = (failure: FailureKind, detail: string): ModelFailure => ({ failure, detail });

/** One line, printable, capped: the reason is shown on the terminal and stored in the audit trail. */
export function oneLine(text: string, limit = MAX_REASON_CHARS): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit)}…`;
}

/** The verdict object the model produced (already JSON-decoded), or an invalid-output failure. */
export function strictVerdict(value: unknown): ModelAnswer {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return failed("invalid-output", "the answer is not a JSON object");
  const keys = Object.keys(value).sort();
  if (keys.join(",") !== "reason,verdict") return failed("invalid-output", `the answer has keys [${keys.map((key) => oneLine(key, 40)).join(", ")}], expected verdict and reason`);
  const { reason } = value as Record<string, unknown>;
  // A model that still says "approve" (the earlier word) means allow.
  const verdict = readReviewVerdict((value as Record<string, unknown>).verdict);
  if (verdict === undefined) return failed("invalid-output", `unknown verdict ${oneLine(JSON.stringify((value as Record<string, unknown>).verdict), 40)}`);
  if (typeof reason !== "string" || reason.trim() === "") return failed("invalid-output", "the answer has no reason");
  return { verdict, reason: oneLine(reason) };
}

/** Decodes the JSON text of a structured answer, then checks it strictly. */
export function verdictFromText(text: string): ModelAnswer {
  try {
    return strictVerdict(JSON.parse(text));
  } catch {
    return failed("invalid-output", `the answer is not JSON: ${oneLine(text, 80)}`);
  }
}

export const isFailure = (answer: ModelAnswer): answer is ModelFailure => "failure" in answer;

/** Adds the token counts the API reported (when it reported numbers) to a verdict. */
export function withTokens(answer: ModelAnswer, input: unknown, output: unknown): ModelAnswer {
  return typeof input === "number" && typeof output === "number" && !isFailure(answer) ? { ...answer, tokens: { input, output } } : answer;
}
