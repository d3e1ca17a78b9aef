// The [env] policy: keep, drop (names and globs), set; and what explain reports.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DROPPED_NAMES, DROPPED_PREFIXES } from "../../../src/secrets/env";
import { applyEnvPolicy, envChanges, matchesEnvPattern } from "../../../src/secrets/env-policy";
import { planSecrets } from "../../../src/secrets/inject";

const base = { PATH: "/usr/bin", HOME: "/home/u", GITHUB_TOKEN: "t", LD_PRELOAD: "/x.so", MY_A: "1", MY_B: "2", OTHER: "o" };

describe("matchesEnvPattern", () => {
  it("matches names exactly and globs with * and ?", () => {
    expect(matchesEnvPattern("MY_A", "MY_A")).toBe(true);
    expect(matchesEnvPattern("MY_AB", "MY_A")).toBe(false);
    expect(matchesEnvPattern("MY_ANYTHING", "MY_*")).toBe(true);
    expect(matchesEnvPattern("XMY_A", "MY_*")).toBe(false);
    expect(matchesEnvPattern("MY_A", "MY_?")).toBe(true);
    expect(matchesEnvPattern("MYXA", "MY.A")).toBe(false);
  });
});

describe("applyEnvPolicy", () => {
  it("scrubs secrets and injection vectors by default", () => {
    const result = applyEnvPolicy(base);
    expect(result.env).toEqual({ PATH: "/usr/bin", HOME: "/home/u", MY_A: "1", MY_B: "2", OTHER: "o" });
    expect(result.dropped).toEqual(["GITHUB_TOKEN", "LD_PRELOAD"]);
    expect(result.added).toEqual([]);
  });

  it("keeps names listed in keep or given with --keep-env", () => {
    expect(applyEnvPolicy(base, { keep: ["GITHUB_TOKEN"] }).env.GITHUB_TOKEN).toBe("t");
    expect(applyEnvPolicy(base, {}, ["LD_PRELOAD"]).env.LD_PRELOAD).toBe("/x.so");
  });

  it("drops extra names and patterns; drop wins over keep, --keep-env over drop", () => {
    const result = applyEnvPolicy(base, { drop: ["MY_*", "OTHER"] });
    expect(Object.keys(result.env).sort()).toEqual(["HOME", "PATH"]);
    expect(result.dropped).toEqual(["GITHUB_TOKEN", "LD_PRELOAD", "MY_A", "MY_B", "OTHER"]);
    expect(applyEnvPolicy(base, { keep: ["GITHUB_TOKEN"], drop: ["GITHUB_*"] }).env.GITHUB_TOKEN).toBeUndefined();
    expect(applyEnvPolicy(base, { drop: ["MY_*"] }, ["MY_A"]).env.MY_A).toBe("1");
  });

  it("sets values last and reports them as added", () => {
    const result = applyEnvPolicy(base, { drop: ["OTHER"], set: { OTHER: "new", CI: "1" } });
    expect(result.env.OTHER).toBe("new");
    expect(result.env.CI).toBe("1");
    expect(result.added).toEqual(["CI", "OTHER"]);
    expect(result.dropped).not.toContain("OTHER");
  });
});

describe("envChanges (for safe-sh explain)", () => {
  const rules = [{ name: "github", env: "GH_TOKEN", commands: [["gh"]] }];

  it("lists what a matching command loses and gains, names only", () => {
    const changes = envChanges(base, { set: { CI: "1" } }, [], planSecrets([["gh", "pr", "list"]], rules));
    expect(changes).toEqual({ lose: ["GITHUB_TOKEN", "LD_PRELOAD"], gain: ["CI", "GH_TOKEN"], withheld: [] });
  });

  it("reports a withheld secret for a script outside its rules", () => {
    const changes = envChanges(base, {}, [], planSecrets([["gh"], ["curl", "x"]], rules));
    expect(changes.gain).toEqual([]);
    expect(changes.withheld.map((w) => w.name)).toEqual(["github"]);
  });
});

describe("docs/secrets.md", () => {
  const doc = fs.readFileSync(path.join(__dirname, "..", "..", "..", "docs", "secrets.md"), "utf8");

  it("lists every default drop name and prefix", () => {
    const missing = [...DROPPED_NAMES, ...DROPPED_PREFIXES].filter((name) => !doc.includes(`\`${name}`));
    expect(missing).toEqual([]);
  });
});
