// Redaction of secret values in whole texts and in streams split anywhere.
import { describe, expect, it } from "vitest";
import { createRedactor, MIN_REDACTED_LENGTH, redact } from "../../../src/secrets/redact";

const secrets = { github: "ghp_abcdef123456", short: "ghp_abc", npm: "npm_zyx987" };

/** Pushes text split at the given offsets, then flushes. */
function streamed(text: string, cuts: number[], values = secrets): string {
  const redactor = createRedactor(values);
  let out = "";
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    out += redactor.push(text.slice(start, cut));
    start = cut;
  }
  return out + redactor.flush();
}

describe("redact", () => {
  it("replaces each value with its name", () => {
    expect(redact("token=npm_zyx987 done", secrets)).toBe("token=[REDACTED:npm] done");
  });

  it("prefers the longest value where two start at one place", () => {
    expect(redact("a ghp_abcdef123456 b ghp_abc c", secrets)).toBe("a [REDACTED:github] b [REDACTED:short] c");
  });

  it("replaces every occurrence, adjacent ones too", () => {
    expect(redact("npm_zyx987npm_zyx987", secrets)).toBe("[REDACTED:npm][REDACTED:npm]");
  });

  it("treats values literally, not as patterns", () => {
    expect(redact("x a.b*c+d y aXbbc+d", { odd: "a.b*c+d" })).toBe("x [REDACTED:odd] y aXbbc+d");
  });

  it(`leaves values shorter than ${MIN_REDACTED_LENGTH} characters alone`, () => {
    expect(redact("abc abcd", { tiny: "abc", four: "abcd" })).toBe("abc [REDACTED:four]");
  });

  it("returns the text unchanged without secrets", () => {
    expect(redact("nothing here", {})).toBe("nothing here");
  });
});

describe("createRedactor", () => {
  const text = "start ghp_abcdef123456 mid ghp_abc end npm_zyx987";
  const expected = "start [REDACTED:github] mid [REDACTED:short] end [REDACTED:npm]";

  it("redacts a value split at every possible place between two chunks", () => {
    for (let cut = 0; cut <= text.length; cut++) expect(streamed(text, [cut])).toBe(expected);
  });

  it("redacts a value split one character per chunk", () => {
    expect(streamed(text, Array.from({ length: text.length }, (_, i) => i))).toBe(expected);
  });

  it("does not redact a shorter value early when a longer one may follow", () => {
    const redactor = createRedactor(secrets);
    const first = redactor.push(`${"x".repeat(30)} ghp_abc`);
    expect(first).toBe("x".repeat(30 + 8 - 15));
    expect(first + redactor.push("def123456 y") + redactor.flush()).toBe(`${"x".repeat(30)} [REDACTED:github] y`);
  });

  it("releases a held-back prefix that turns out not to be a value", () => {
    const redactor = createRedactor(secrets);
    expect(redactor.push("ghp_abcdef12345") + redactor.push("X") + redactor.flush()).toBe("[REDACTED:short]def12345X");
  });

  it("holds back at most the longest value's length minus one", () => {
    const redactor = createRedactor(secrets);
    const out = redactor.push("a".repeat(100));
    expect(out.length).toBe(100 - (secrets.github.length - 1));
    expect(out + redactor.flush()).toBe("a".repeat(100));
  });

  it("decodes UTF-8 split across Buffer chunks", () => {
    const bytes = Buffer.from("é npm_zyx987 ü");
    const redactor = createRedactor(secrets);
    let out = "";
    for (const byte of bytes) out += redactor.push(Buffer.from([byte]));
    expect(out + redactor.flush()).toBe("é [REDACTED:npm] ü");
  });

  it("never lets a value through, whatever the chunking (seeded random cuts)", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const long = Array.from({ length: 50 }, (_, i) => `line ${i} ${i % 3 === 0 ? secrets.github : secrets.npm} ${"z".repeat(i)}`).join("\n");
    for (let round = 0; round < 50; round++) {
      const cuts = Array.from({ length: 20 }, () => Math.floor(random() * long.length)).sort((a, b) => a - b);
      const out = streamed(long, cuts);
      expect(out).toBe(redact(long, secrets));
      expect(out).not.toContain(secrets.github);
      expect(out).not.toContain(secrets.npm);
    }
  });
});
