// Canonical serialisation, hashing and redaction of audit records.
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { hashLine, parseRecord, redact, serialise } from "../../../src/audit/record";

describe("serialise", () => {
  it("puts the header first in a fixed order, sorts the event's keys, and prev last", () => {
    const line = serialise({ prev: "0".repeat(64), zeta: { b: 1, a: 2 }, command: "ls", v: 1, seq: 3, alpha: true, event: "exit", time: "t", session: "s", cwd: "/w" });
    expect(line).toBe(`{"v":1,"seq":3,"time":"t","event":"exit","session":"s","cwd":"/w","command":"ls","alpha":true,"zeta":{"a":2,"b":1},"prev":"${"0".repeat(64)}"}`);
  });

  it("gives the same bytes for the same record whatever the key order", () => {
    expect(serialise({ a: 1, b: [{ y: 1, x: 2 }], prev: "p" })).toBe(serialise({ prev: "p", b: [{ x: 2, y: 1 }], a: 1 }));
  });

  it("drops undefined fields", () => {
    expect(serialise({ a: undefined, prev: "p" })).toBe(`{"prev":"p"}`);
  });
});

describe("hashLine", () => {
  it("is the SHA-256 hex of the exact bytes", () => {
    expect(hashLine("abc")).toBe(createHash("sha256").update("abc").digest("hex"));
    expect(hashLine(Buffer.from("abc"))).toBe(hashLine("abc"));
  });
});

describe("redact", () => {
  it("replaces every occurrence in nested strings and keys with [REDACTED:NAME]", () => {
    const out = redact({ command: "curl -H tok123 x tok123", nested: [{ tok123: "a tok123" }], n: 5 }, { TOKEN: "tok123" });
    expect(out).toEqual({ command: "curl -H [REDACTED:TOKEN] x [REDACTED:TOKEN]", nested: [{ "[REDACTED:TOKEN]": "a [REDACTED:TOKEN]" }], n: 5 });
  });

  it("replaces the longer secret first when one contains another", () => {
    expect(redact("pw=abcdef", { SHORT: "abc", LONG: "abcdef" })).toBe("pw=[REDACTED:LONG]");
  });

  it("ignores empty secret values", () => {
    expect(redact("keep me", { EMPTY: "" })).toBe("keep me");
  });
});

describe("parseRecord", () => {
  it("accepts an object with an integer seq and a 64-hex prev", () => {
    expect(parseRecord(`{"seq":1,"prev":"${"a".repeat(64)}"}`)?.seq).toBe(1);
  });

  it.each(["", "nope", "[]", `{"seq":1}`, `{"seq":"1","prev":"${"a".repeat(64)}"}`, `{"seq":1,"prev":"xyz"}`])("rejects %j", (line) => {
    expect(parseRecord(line)).toBeUndefined();
  });
});
