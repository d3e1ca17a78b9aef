// Program names that are also keys every JavaScript object has: the
// classifier's tables must answer for their own entries only.
import { beforeAll, describe, expect, it } from "vitest";
import { classifyArgv, classifyScript, loadParser } from "../../../src/classify";

const NAMES = ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf"];

beforeAll(() => loadParser());

describe("a command named like an Object.prototype key", () => {
  it.each(NAMES)("%s is an unknown program, as argv and as a script, and never throws", async (name) => {
    for (const argv of [[name, "-rf", ""], [name], ["env", name, "x"], ["tar", "-xf", "a.tar"].map((w) => (w === "tar" ? name : w))]) {
      const result = classifyArgv(argv);
      expect(result.risk).toBe("unknown");
      expect(result.reasons.join("; ")).toContain(`${name}: unknown program`);
    }
    const script = await classifyScript(`${name} -rf src; ls`, { cwd: "/w", exists: () => false });
    expect(script.risk).toBe("unknown");
  });

  it("the real wrappers and extractors still work beside them", () => {
    expect(classifyArgv(["env", "rm", "-rf", "src"]).risk).toBe("destructive");
    expect(classifyArgv(["timeout", "5", "ls"]).risk).toBe("read-only");
  });
});
