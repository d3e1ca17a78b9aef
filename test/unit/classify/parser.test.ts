// The grammar loads natively or as WebAssembly with the same results, and the
// plain-word fast path splits scripts exactly as the parser does.
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { classifyScriptSync, loadParser } from "../../../src/classify";
import { extract } from "../../../src/parse/extract";
import { loadBashParser } from "../../../src/parse/parser";
import { plainWords } from "../../../src/parse/simple";
import { RISKS } from "../../../src/types";

const corpus = fs.readFileSync(path.join(__dirname, "../../fixtures/classify-corpus.txt"), "utf8").split("\n").filter(Boolean);

beforeAll(async () => {
  await loadParser();
});

describe("loading the grammar", () => {
  it("loads the native binding by default", async () => {
    expect((await loadBashParser()).backend).toBe("native");
  });

  it("loads the WebAssembly build when asked, and it extracts the same commands", async () => {
    const [native, wasm] = await Promise.all([loadBashParser("native"), loadBashParser("wasm")]);
    expect(wasm.backend).toBe("wasm");
    for (const line of corpus) {
      expect(wasm.parse(line, (root) => extract(root, line))).toEqual(native.parse(line, (root) => extract(root, line)));
    }
  });

  it("reads non-ASCII words intact", () => {
    expect(classifyScriptSync("echo 'héllo 😀' wörld").commands[0]!.argv).toEqual(["echo", "héllo 😀", "wörld"]);
  });
});

describe("the plain-word fast path", () => {
  it("is taken for plain commands and refused for anything the shell would interpret", () => {
    expect(plainWords("git log --oneline -5")).toEqual(["git", "log", "--oneline", "-5"]);
    for (const script of ["ls; rm x", "ls\nrm x", "echo $x", "echo 'a b'", "A=1 ls", "ls *.ts", "if", "echo a#b", "ls &", "x{a,b}", "echo ~+"]) {
      expect(plainWords(script)).toBeUndefined();
    }
  });

  it("gives exactly the parser's argv for every corpus line it takes", async () => {
    const parser = await loadBashParser("native");
    const taken = corpus.filter((line) => plainWords(line));
    expect(taken.length).toBeGreaterThan(50);
    for (const line of taken) {
      const parsed = parser.parse(line, (root) => extract(root, line));
      expect({ line, commands: parsed.commands, issues: parsed.issues, functions: parsed.functions }).toEqual({
        line,
        commands: [{ words: plainWords(line)!.map((text) => ({ text, literal: true })), assignments: [], redirects: [] }],
        issues: [],
        functions: [],
      });
    }
  });
});

describe("the corpus", () => {
  it("classifies every line with a risk, and never calls a parse error read-only", () => {
    for (const line of corpus) {
      const result = classifyScriptSync(line);
      if (result.parseError) expect({ line, risk: result.risk }).not.toEqual({ line, risk: "read-only" });
      expect(RISKS).toContain(result.risk);
    }
  });
});
