// Input limits (issue 14): huge, deeply nested or NUL-carrying input is
// unknown with the limit named, never a throw; wrapper chains cost linear time.
import { beforeAll, describe, expect, it } from "vitest";
import { classifyArgv, classifyScriptSync, loadParser } from "../../../src/classify";
import { LIMITS } from "../../../src/parse/limits";
import { expectRisk } from "./helpers";

beforeAll(async () => {
  await loadParser();
});

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started };
}

describe("scripts beyond the input limits are unknown, with the limit named", () => {
  it("a 1 MB script of 131,072 commands", () => {
    const { result, ms } = timed(() => classifyScriptSync("echo hi\n".repeat(131_072)));
    expect(result.risk).toBe("unknown");
    expect(result.reasons.join()).toContain(`longer than ${LIMITS.scriptChars} characters`);
    expect(ms).toBeLessThan(1000);
  });

  it("more syntax nodes than the limit, under the length limit", () => {
    expectRisk("echo hi\n".repeat(8_000), "unknown", `more than ${LIMITS.syntaxNodes} syntax nodes`);
  });

  it("brackets nested deeper than the limit", () => {
    expectRisk(`echo ${"$(".repeat(1000)}${")".repeat(1000)}`, "unknown", `brackets nest more than ${LIMITS.nesting} levels deep`);
  });

  it("a script the grammar takes too long on", () => {
    const { result, ms } = timed(() => classifyScriptSync("true && ".repeat(16_000)));
    expect(result.risk).toBe("unknown");
    expect(result.reasons.join()).toMatch(/parsing took longer than|syntax nodes|nests too deeply/);
    expect(ms).toBeLessThan(5000);
  });

  it("still analyses a large heredoc body: it is one node", () => {
    expectRisk(`cat <<'EOF'\n${"x = 1\n".repeat(10_000)}EOF\nrm -rf src`, "destructive", "rm -rf src");
  });
});

describe("a NUL byte is never read-only: bash would run different words", () => {
  it("in a script", () => {
    expectRisk("ls\0; rm -rf src", "unknown", "script contains a NUL byte");
  });

  it("in an argv word", () => {
    const result = classifyArgv(["rm\0", "-rf", "src"]);
    expect(result.risk).toBe("unknown");
    expect(result.reasons.join()).toContain("argv word contains a NUL byte");
  });

  it("inside bash -c", () => {
    expectRisk("bash -c $'ls\\x00rm -rf src'", "unknown", "NUL byte");
  });
});

describe("wrapper chains cost linear time", () => {
  it("sudo 30,000 times as an argv, 5,000 times in a script (30,000 exceed the syntax-node limit)", () => {
    const script = timed(() => classifyScriptSync(`${"sudo ".repeat(5_000)}ls`));
    const argv = timed(() => classifyArgv([...Array<string>(30_000).fill("sudo"), "ls"]));
    expect(script.result.risk).toBe("privileged");
    expect(argv.result.risk).toBe("privileged");
    expect(argv.result.commands[0]!.wrappers).toHaveLength(30_000);
    expect(script.ms).toBeLessThan(1000);
    expect(argv.ms).toBeLessThan(1000);
  });
});
