// Prefix rules: what a prefix matches, strictest-wins, and example checks.
import { describe, expect, it } from "vitest";
import { checkExamples, matchCommand, matchesPrefix } from "../../../src/policy/rules";
import type { Rule } from "../../../src/policy/types";

const rule = (prefix: string[], decision: Rule["decision"], extra: Partial<Rule> = {}): Rule => ({
  prefix, decision, match: [], notMatch: [], source: "test.toml", index: 0, ...extra,
});

describe("matchesPrefix", () => {
  it("matches argv that starts with every word of the prefix", () => {
    expect(matchesPrefix(["git", "push"], ["git", "push", "origin", "main"])).toBe(true);
    expect(matchesPrefix(["git", "push"], ["git", "push"])).toBe(true);
  });

  it("does not match a shorter argv or a different word", () => {
    expect(matchesPrefix(["git", "push"], ["git"])).toBe(false);
    expect(matchesPrefix(["git", "push"], ["git", "pull"])).toBe(false);
  });

  it("matches the program called by path, but not other words by basename", () => {
    expect(matchesPrefix(["rm", "-rf"], ["/usr/bin/rm", "-rf", "x"])).toBe(true);
    expect(matchesPrefix(["cat", "passwd"], ["cat", "/etc/passwd"])).toBe(false);
  });

  it("a prefix that names a path matches only that path", () => {
    expect(matchesPrefix(["/usr/bin/rm"], ["rm"])).toBe(false);
    expect(matchesPrefix(["/usr/bin/rm"], ["/usr/bin/rm", "x"])).toBe(true);
  });
});

describe("strictest wins", () => {
  const rules = [rule(["git"], "allow"), rule(["git", "push"], "deny"), rule(["git", "push"], "ask")];

  it("picks deny over ask over allow for one command", () => {
    expect(matchCommand(rules, ["git", "push", "origin"])?.decision).toBe("deny");
    expect(matchCommand(rules, ["git", "log"])?.decision).toBe("allow");
    expect(matchCommand(rules, ["ls"])).toBeUndefined();
  });
});

describe("checkExamples", () => {
  it("passes when every match example matches and no notMatch example does", () => {
    expect(checkExamples(rule(["git", "push"], "ask", { match: [["git", "push", "origin"]], notMatch: [["git", "status"]] }))).toEqual([]);
  });

  it("reports each failing example", () => {
    const failures = checkExamples(rule(["git", "push"], "ask", { match: [["git", "pull"]], notMatch: [["git", "push", "-f"]] }));
    expect(failures).toHaveLength(2);
  });
});
