// "Always" approvals: append `[[rules]]` allow tables to the user's config
// file, leaving everything already there untouched.
import fs = require("node:fs");
import path = require("node:path");
import { parse as parseToml, stringify } from "smol-toml";
import { SafeShError } from "../errors";
import { CONFIG_SPEC } from "./schema";
import { validate } from "./validate";

/**
 * Appends one allow rule per prefix (with the prefix itself as a `match`
 * example). The result is parsed and validated before it is written.
 * Throws ERR_SAFESH_POLICY_INVALID when the file would not load afterwards
 * (e.g. it already defines `rules` as an inline array).
 */
export function appendAllowRules(file: string, prefixes: readonly string[][], reason: string): void {
  let existing = "";
  try {
    existing = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const rules = prefixes.map((prefix) => ({ prefix: [...prefix], decision: "allow", reason, match: [[...prefix]] }));
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  const added = `${separator}\n# added by safe-sh (${new Date().toISOString()})\n${stringify({ rules })}\n`;
  const next = existing + added;
  let problems: string[];
  try {
    problems = validate(parseToml(next), CONFIG_SPEC).map((p) => `${p.path}: ${p.message}`);
  } catch (error) {
    problems = [(error as Error).message.split("\n", 1)[0]!];
  }
  if (problems.length > 0) {
    throw new SafeShError("ERR_SAFESH_POLICY_INVALID", `${file}: cannot append a rule: ${problems.join("; ")}`, "add the rule by hand (see docs/policy.md)");
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.appendFileSync(file, added, { mode: 0o600 });
}
