// Allowlist matching: normalisation, exact/wildcard/IP entries, ports, deny wins,
// and which allowPrivate entries open which addresses.
import { describe, expect, it } from "vitest";
import { SafeShError } from "../../../src/errors";
import { compileRules, matchHost, normalizeHost, parseRule, privateAllowance } from "../../../src/net/rules";

function decide(lists: { allow?: string[]; deny?: string[] }, host: string, port = 443): string {
  const normal = normalizeHost(host);
  if (!normal) return "invalid";
  const m = matchHost(compileRules(lists), normal, port);
  return m.rule ? `${m.verdict} ${m.rule}` : m.verdict;
}

describe("normalizeHost", () => {
  it.each([
    ["Example.COM", "example.com", false],
    ["example.com.", "example.com", false],
    ["bücher.de", "xn--bcher-kva.de", false],
    ["[::1]", "::1", true],
    ["[0:0:0:0:0:0:0:1]", "::1", true],
    ["0x7f.1", "127.0.0.1", true],
    ["2130706433", "127.0.0.1", true],
  ])("%s → %s", (raw, host, ip) => {
    expect(normalizeHost(raw)).toEqual({ host, ip });
  });

  it.each(["", "a/b", "a b", "ex..ample", "user@host", "256.1.1.1", "-bad.com", "[fe80::1%25eth0]", "example.com..", "a:b"])(
    "rejects %j",
    (raw) => {
      expect(normalizeHost(raw)).toBeNull();
    },
  );
});

describe("parseRule", () => {
  it("parses exact, wildcard, port and IP-literal entries", () => {
    expect(parseRule("Example.com")).toEqual({ entry: "Example.com", host: "example.com", kind: "exact" });
    expect(parseRule("*.example.com:8443")).toEqual({ entry: "*.example.com:8443", host: "example.com", kind: "subdomains", port: 8443 });
    expect(parseRule("203.0.113.7:80")).toMatchObject({ host: "203.0.113.7", kind: "ip", port: 80 });
    expect(parseRule("[2001:DB8::1]:443")).toMatchObject({ host: "2001:db8::1", kind: "ip", port: 443 });
    expect(parseRule("2001:db8::1")).toMatchObject({ host: "2001:db8::1", kind: "ip" });
  });

  it.each(["*", "*.1.2.3.4", "example.com:0", "example.com:70000", "exa mple.com", "[::1", "[::1]443", "foo.*.com"])(
    "refuses %j with ERR_SAFESH_POLICY_INVALID",
    (entry) => {
      expect(() => parseRule(entry)).toThrow(SafeShError);
      try {
        parseRule(entry);
      } catch (err) {
        expect((err as SafeShError).code).toBe("ERR_SAFESH_POLICY_INVALID");
      }
    },
  );
});

describe("matchHost", () => {
  it("allows an exact entry case-insensitively and with a trailing dot", () => {
    expect(decide({ allow: ["example.com"] }, "EXAMPLE.com.")).toBe("allow example.com");
    expect(decide({ allow: ["example.com"] }, "api.example.com")).toBe("unknown");
  });

  it("allows subdomains of a wildcard entry but not its apex", () => {
    const lists = { allow: ["*.example.com"] };
    expect(decide(lists, "api.example.com")).toBe("allow *.example.com");
    expect(decide(lists, "a.b.example.com")).toBe("allow *.example.com");
    expect(decide(lists, "example.com")).toBe("unknown");
    expect(decide(lists, "badexample.com")).toBe("unknown");
  });

  it("restricts an entry with a port to that port", () => {
    const lists = { allow: ["example.com:443"] };
    expect(decide(lists, "example.com", 443)).toBe("allow example.com:443");
    expect(decide(lists, "example.com", 80)).toBe("unknown");
  });

  it("lets deny win over allow", () => {
    const lists = { allow: ["*.example.com"], deny: ["evil.example.com"] };
    expect(decide(lists, "evil.example.com")).toBe("deny evil.example.com");
    expect(decide(lists, "good.example.com")).toBe("allow *.example.com");
  });

  it("matches IP literals only against literal entries", () => {
    expect(decide({ allow: ["*.example.com", "localhost"] }, "127.0.0.1")).toBe("unknown");
    expect(decide({ allow: ["127.0.0.1"] }, "0x7f.0.0.1")).toBe("allow 127.0.0.1");
    expect(decide({ allow: ["[::1]:8080"] }, "[0::1]", 8080)).toBe("allow [::1]:8080");
    expect(decide({ allow: ["127.0.0.1"] }, "[::ffff:127.0.0.1]")).toBe("unknown");
  });

  it("matches internationalised names in either spelling", () => {
    expect(decide({ allow: ["bücher.de"] }, "xn--bcher-kva.de")).toBe("allow bücher.de");
    expect(decide({ allow: ["xn--bcher-kva.de"] }, "BÜCHER.de")).toBe("allow xn--bcher-kva.de");
  });
});

describe("privateAllowance", () => {
  const rules = compileRules({ allowPrivate: ["intranet.example", "10.0.0.0/8", "*.corp.example:8443", "169.254.169.254"] });
  const host = (h: string) => normalizeHost(h)!;

  it("opens any address for a listed host, and listed blocks for any host", () => {
    expect(privateAllowance(rules, host("intranet.example"), 80, "192.168.1.5")).toBe("intranet.example");
    expect(privateAllowance(rules, host("other.example"), 80, "10.1.1.1")).toBe("10.0.0.0/8");
    expect(privateAllowance(rules, host("other.example"), 80, "::ffff:10.1.1.1")).toBe("10.0.0.0/8");
    expect(privateAllowance(rules, host("other.example"), 80, "192.168.1.5")).toBeUndefined();
  });

  it("applies host entries' ports", () => {
    expect(privateAllowance(rules, host("git.corp.example"), 8443, "192.168.1.5")).toBe("*.corp.example:8443");
    expect(privateAllowance(rules, host("git.corp.example"), 22, "192.168.1.5")).toBeUndefined();
  });

  it("opens cloud metadata only through its exact address", () => {
    expect(privateAllowance(rules, host("intranet.example"), 80, "fd00:ec2::254")).toBeUndefined();
    expect(privateAllowance(rules, host("other.example"), 80, "169.254.169.254")).toBe("169.254.169.254");
    const broad = compileRules({ allowPrivate: ["169.254.0.0/16"] });
    expect(privateAllowance(broad, host("x.example"), 80, "169.254.169.254")).toBeUndefined();
    expect(privateAllowance(broad, host("x.example"), 80, "169.254.1.1")).toBe("169.254.0.0/16");
  });
});
