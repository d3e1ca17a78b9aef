// Shared helpers for classification tests: classify once the parser is loaded,
// and assert a risk together with a reason substring.
import { expect } from "vitest";
import { classifyScriptSync } from "../../../src/classify";
import type { Classification, Risk } from "../../../src/types";

/** Classifies in /work, where `existing` paths exist and `directories` exist as directories. */
export function classify(script: string, existing: readonly string[] = [], directories: readonly string[] = []): Classification {
  return classifyScriptSync(script, { cwd: "/work", exists: (p) => existing.includes(p) || directories.includes(p), isDirectory: (p) => directories.includes(p) });
}

/** Asserts the script's risk and that one reason contains `reason`. */
export function expectRisk(script: string, risk: Risk, reason?: string, existing?: readonly string[], directories?: readonly string[]): Classification {
  const result = classify(script, existing, directories);
  expect({ script, risk: result.risk }).toEqual({ script, risk });
  if (reason !== undefined) expect(result.reasons.join("\n")).toContain(reason);
  return result;
}
