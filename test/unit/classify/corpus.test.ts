// The adversarial corpus: every script gets its expected risk (each entry says
// why), and no parse error or write/exec entry is ever read-only.
import { beforeAll, describe, expect, it } from "vitest";
import { classifyScriptSync, loadParser } from "../../../src/classify";
import { RISKS } from "../../../src/types";
import { FIXTURE_FILES, loadCorpus } from "../../helpers/corpus";

const corpus = loadCorpus();
// The corpus is classified from inside the fixture workspace, so `> README.md` truncates an existing file
// and `cp a.ts src` writes into a directory.
const existing = new Set(Object.keys(FIXTURE_FILES).map((name) => `/corpus/${name}`));
const directories = new Set(Object.keys(FIXTURE_FILES).flatMap((name) => name.split("/").slice(0, -1).map((_, i, parts) => `/corpus/${parts.slice(0, i + 1).join("/")}`)));

beforeAll(async () => {
  await loadParser();
});

describe("the adversarial corpus", () => {
  it("has at least 800 entries, each with a known risk and a reason", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(800);
    for (const entry of corpus) {
      expect(RISKS).toContain(entry.risk);
      expect(entry.why.length).toBeGreaterThan(2);
    }
  });

  it.each(corpus.map((entry, i) => ({ ...entry, i })))("#$i $script → $risk", ({ script, risk, why }) => {
    const result = classifyScriptSync(script, { cwd: "/corpus", exists: (p) => existing.has(p) || directories.has(p), isDirectory: (p) => directories.has(p) });
    expect({ script, why, risk: result.risk }).toEqual({ script, why, risk });
  });
});
