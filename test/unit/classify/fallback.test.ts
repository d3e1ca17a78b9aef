// When the native binding cannot load, the grammar falls back to WebAssembly
// and classification is unchanged.
import Module from "node:module";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const original = loader._load;

beforeAll(() => {
  loader._load = function (request, parent, isMain) {
    if (request === "tree-sitter") throw new Error("simulated: native binding missing");
    return original.call(this, request, parent, isMain);
  };
  vi.resetModules();
});

afterAll(() => {
  loader._load = original;
});

describe("without the native binding", () => {
  it("loads the WebAssembly grammar and classifies the same way", async () => {
    const { loadBashParser } = await import("../../../src/parse/parser");
    const { classifyScript } = await import("../../../src/classify");
    expect((await loadBashParser()).backend).toBe("wasm");
    const result = await classifyScript('echo "$(rm -rf src)"');
    expect(result.risk).toBe("destructive");
    expect(result.reasons.join("\n")).toContain("rm -rf src: recursive forced delete");
  });
});
