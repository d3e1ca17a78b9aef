// Run and session ids: version-4 UUIDs, distinct.
import { describe, expect, it } from "vitest";
import { randomId } from "../../src/random-id";

describe("randomId()", () => {
  it("is a version 4, variant 1 UUID", () => {
    for (let i = 0; i < 50; i++) expect(randomId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("does not repeat", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomId()));
    expect(ids.size).toBe(1000);
  });
});
