// The Seatbelt profile generator: exact text for representative plans
// (golden files, reviewed line by line) and a structural check of each.
import fs = require("node:fs");
import path = require("node:path");
import { describe, expect, it } from "vitest";
import { seatbeltProfile, type SeatbeltInput } from "../../../../src/sandbox/darwin/profile";
import { checkProfile } from "./sbpl-check";

const GOLDEN = path.join(__dirname, "golden");

const base: SeatbeltInput = {
  runId: "run-1",
  network: "none",
  writeRoots: ["/private/var/folders/x/T/safe-sh-run-1", "/Users/dev/project"],
  protect: [],
  denyRead: [],
  allowRead: [],
  devices: ["/dev/null", "/dev/tty"],
};

const cases: Record<string, SeatbeltInput> = {
  "workspace-write-network-none": {
    ...base,
    protect: ["/Users/dev/project/.git/hooks", "/Users/dev/project/.git/config", "/Users/dev/project/.vscode"],
    denyRead: ["/Users/dev/.ssh", "/Users/dev/Library/Keychains"],
  },
  "allowlist-deny-read-allow-read": {
    ...base,
    network: "allowlist",
    proxyPort: 53122,
    protect: ["/Users/dev/project/.safe-sh"],
    denyRead: ["/Users/dev/.config", "/Users/dev/.aws"],
    allowRead: ["/Users/dev/.config/git"],
  },
  "read-only-network-full": { ...base, writeRoots: ["/private/var/folders/x/T/safe-sh-run-1"], network: "full" },
};

describe("seatbeltProfile golden files", () => {
  for (const [name, input] of Object.entries(cases)) {
    it(`${name} matches golden/${name}.sb and its parameters`, () => {
      const profile = seatbeltProfile(input);
      const rendered = `${profile.text};; parameters\n${profile.params.map(([k, v]) => `;; ${k}=${v}`).join("\n")}\n`;
      const file = path.join(GOLDEN, `${name}.sb`);
      if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(file, rendered);
      expect(rendered).toBe(fs.readFileSync(file, "utf8"));
    });
  }
});

describe("structural check of every generated profile", () => {
  const variants: SeatbeltInput[] = [
    ...Object.values(cases),
    { ...base, writeRoots: ["/"], protect: ["/Users/dev/project/.git/hooks"], network: "full" },
    { ...base, writeRoots: [], devices: [] },
    { ...base, denyRead: Array.from({ length: 200 }, (_, i) => `/Users/dev/secret-${i}`) },
  ];
  for (const [i, input] of variants.entries()) {
    it(`variant ${i} (${input.network}, ${input.writeRoots.length} roots) is balanced, known words only, paths as parameters`, () => {
      const profile = seatbeltProfile(input);
      expect(checkProfile(profile.text, profile.params)).toEqual([]);
    });
  }

  it("the checker catches what it looks for", () => {
    expect(checkProfile("(version 1)\n(allow file-read*", [])).toContain("unbalanced: 1 '(' not closed");
    expect(checkProfile("(version 1)\n(allow file-reed*)", [])).toContain("unknown operation: file-reed*");
    expect(checkProfile('(version 1)\n(allow file-write* (subpath "/Users/dev"))', [])).toContain("path spelled out: /Users/dev");
    expect(checkProfile(`(version 1)\n(allow mach-lookup (global-name "${"a".repeat(1025)}"))`, [])).toContain("string literal of 1025 bytes (max 1024)");
    expect(checkProfile("(version 1)\n(deny file-write*)", [])).toContain("a deny without (with message ...): file-write*");
    expect(checkProfile('(version 1)\n(allow file-read* (subpath (param "X")))', [])).toContain("parameter X is not defined");
    expect(checkProfile("(version 1)", [["UNUSED", "/x"]])).toContain("parameter UNUSED is never used");
  });
});

describe("what the profile says", () => {
  it("denies by default, tagging denials with the run id", () => {
    expect(seatbeltProfile(base).text).toContain('(deny default (with message "safe-sh:run-1"))');
  });

  it("forbids renaming or deleting every parent of a protected path up to its writable root", () => {
    const profile = seatbeltProfile({ ...base, protect: ["/Users/dev/project/.git/hooks"] });
    const parents = profile.params.filter(([name]) => name.startsWith("PROTECTED_PARENT_")).map(([, value]) => value);
    expect(parents).toEqual(["/Users/dev/project/.git", "/Users/dev/project"]);
  });

  it("allows the allowlist's proxy port only, and nothing of IP with network none", () => {
    expect(seatbeltProfile({ ...base, network: "allowlist", proxyPort: 4000 }).text).toContain('(allow network-outbound (remote ip "localhost:4000"))');
    expect(seatbeltProfile(base).text).not.toMatch(/remote ip|network\*/);
  });

  it("gives one parameter per distinct path", () => {
    const profile = seatbeltProfile({ ...base, writeRoots: ["/a", "/a"], denyRead: ["/s", "/s"] });
    expect(profile.params).toEqual([["WRITABLE_ROOT_0", "/a"], ["DEVICE_0", "/dev/null"], ["DEVICE_1", "/dev/tty"], ["DENY_READ_0", "/s"]]);
  });
});

describe("refusals (ERR_SAFESH_USAGE)", () => {
  const refuses = (input: SeatbeltInput) => expect(() => seatbeltProfile(input)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_USAGE" }));
  it("a run id that could break out of the message string", () => refuses({ ...base, runId: 'x") (allow default' }));
  it("a relative path", () => refuses({ ...base, denyRead: ["Users/dev/.ssh"] }));
  it("an un-normalised path", () => refuses({ ...base, denyRead: ["/Users/dev/../dev/.ssh"] }));
  it("a path with a trailing slash", () => refuses({ ...base, writeRoots: ["/Users/dev/project/"] }));
  it("a NUL byte in a path", () => refuses({ ...base, protect: ["/Users/dev/project/a\0b"] }));
  it("a protected path outside every writable root", () => refuses({ ...base, protect: ["/etc/hosts"] }));
  it("an allowlist without a port", () => refuses({ ...base, network: "allowlist" }));
});
