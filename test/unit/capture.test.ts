// The one output capture of run() and Session: redaction before the cap, the
// cap on a character boundary, and what was left out counted and said.
import { describe, expect, it } from "vitest";
import { createCapture, withTruncationNote } from "../../src/capture";

const capture = (chunks: (string | Buffer)[], max: number, secrets: Record<string, string> = {}) => {
  const c = createCapture(secrets, max);
  for (const chunk of chunks) c.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return c.finish();
};

describe("createCapture", () => {
  it("keeps output under the cap whole and says nothing was left out", () => {
    expect(capture(["hello ", "world"], 11)).toEqual({ text: "hello world", truncated: false, keptBytes: 11, droppedBytes: 0 });
  });

  it("keeps the first bytes up to the cap and counts the rest, across chunks", () => {
    expect(capture(["abcdef", "ghij", "klmnop"], 8)).toEqual({ text: "abcdefgh", truncated: true, keptBytes: 8, droppedBytes: 8 });
  });

  it("cuts on a character boundary, never leaving half a UTF-8 sequence", () => {
    const result = capture(["aé", "é"], 4); // a(1) é(2) é(2): the second é does not fit in 4
    expect(result).toMatchObject({ text: "aé", keptBytes: 3, droppedBytes: 2, truncated: true });
    expect(result.text).not.toContain("\uFFFD");
  });

  it("decodes a character split between two chunks", () => {
    const euro = Buffer.from("€");
    expect(capture([euro.subarray(0, 1), euro.subarray(1)], 10).text).toBe("€");
  });

  it("redacts before capping: a secret the cap falls inside is not half kept", () => {
    const secret = "s3cr3t-token-value";
    const result = capture(["log: s3cr3t-", "token-value and more"], 12, { TOKEN: secret });
    expect(result.text).toBe("log: [REDACT");
    expect(result.text).not.toContain("s3cr");
    expect(result.truncated).toBe(true);
  });

  it("a cap of 0 keeps nothing and counts everything", () => {
    expect(capture(["abc"], 0)).toEqual({ text: "", truncated: true, keptBytes: 0, droppedBytes: 3 });
  });

  it.each([-1, 1.5, Number.NaN])("a cap of %s is a typed error", (max) => {
    expect(() => createCapture({}, max)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_USAGE" }));
  });
});

describe("withTruncationNote", () => {
  it("says how much was kept and how much left out, and leaves whole output alone", () => {
    expect(withTruncationNote(capture(["abcdefghij"], 4))).toBe("abcd\n[safe-sh: output truncated: the first 4 bytes kept, 6 more left out]\n");
    expect(withTruncationNote(capture(["abc"], 4))).toBe("abc");
  });
});
