// Builders for decide tests: a policy from the built-in defaults, and
// classifications written out by hand (the classifier is not involved).
import { defaultDraft } from "../../../src/policy/layers";
import type { Policy, Rule } from "../../../src/policy/types";
import { RISKS, type Classification, type CommandInfo, type Risk } from "../../../src/types";

export function policyWith(changes: Partial<Policy> = {}): Policy {
  return { ...defaultDraft("/nonexistent/safe-sh/config.toml").policy, ...changes };
}

export function rule(prefix: string[], decision: Rule["decision"], reason?: string): Rule {
  return { prefix, decision, match: [], notMatch: [], source: "test.toml", index: 0, ...(reason ? { reason } : {}) };
}

export function command(argv: string[], risk: Risk, reasons: string[] = [`${argv[0]}: ${risk}`]): CommandInfo {
  return { argv, wrappers: [], risk, reasons };
}

/** A script of these commands; its risk is their highest unless given. */
export function script(commands: CommandInfo[], extra: Partial<Classification> = {}): Classification {
  const risk = commands.reduce<Risk>((worst, c) => (RISKS.indexOf(c.risk) > RISKS.indexOf(worst) ? c.risk : worst), "read-only");
  return { risk, reasons: commands.flatMap((c) => c.reasons), commands, ...extra };
}
