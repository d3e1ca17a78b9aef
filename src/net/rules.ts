// Allowlist matching (pure): host normalisation, `example.com` / `*.example.com` /
// IP-literal entries with optional ports, deny-wins, and allowPrivate entries.
import { isIPv4, isIPv6 } from "node:net";
import { domainToASCII } from "node:url";
import { SafeShError } from "../errors";
import { cidrContains, classifyAddress, parseCidr, type Cidr } from "./addresses";

/** One parsed allow/deny entry. */
export interface HostRule {
  /** The entry as written; reported as `rule` in connection events. */
  entry: string;
  /** Normalised host: lower-case ASCII domain, dotted IPv4 or compressed IPv6 without brackets. */
  host: string;
  /** "exact" domain, "subdomains" for `*.` entries (apex excluded), "ip" for address literals. */
  kind: "exact" | "subdomains" | "ip";
  /** Only this port when set; any port otherwise. */
  port?: number;
}

/** An allowPrivate entry: a host pattern (any address it resolves to) or an address block. */
export type PrivateRule = { type: "host"; rule: HostRule } | { type: "cidr"; entry: string; cidr: Cidr };

/** The compiled network section of a policy. */
export interface RuleSet {
  allow: HostRule[];
  deny: HostRule[];
  allowPrivate: PrivateRule[];
}

/** Outcome of matching a destination against allow and deny. */
export interface Match {
  verdict: "allow" | "deny" | "unknown";
  /** The entry that decided; absent for "unknown". */
  rule?: string;
}

/** A normalised destination host. */
export interface NormalHost {
  host: string;
  ip: boolean;
}

const labelPattern = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const forbiddenChars = /[\s/\\?#@:%[\]*]/;

/**
 * Normalises a host as a client sent it: brackets and one trailing dot removed,
 * IDNA to ASCII, lower case, IPv4 numeric forms (`0x7f.1`) and IPv6 spellings
 * canonicalised. Returns null for anything that is not a valid host name or address.
 */
export function normalizeHost(raw: string): NormalHost | null {
  let text = raw.trim();
  if (text.startsWith("[") && text.endsWith("]")) {
    const inner = text.slice(1, -1);
    if (!isIPv6(inner) || inner.includes("%")) return null;
    text = inner;
  }
  if (isIPv6(text)) {
    if (text.includes("%")) return null;
    return { host: new URL(`http://[${text}]/`).hostname.slice(1, -1), ip: true };
  }
  if (text.endsWith(".")) text = text.slice(0, -1);
  if (text === "" || forbiddenChars.test(text)) return null;
  const ascii = domainToASCII(text).toLowerCase();
  if (ascii === "") return null;
  if (isIPv4(ascii)) return { host: ascii, ip: true };
  if (ascii.length > 253 || !ascii.split(".").every((label) => labelPattern.test(label))) return null;
  // All-numeric last labels would be an IPv4 form domainToASCII rejected (e.g. 256.1.1.1).
  if (/^\d+$/.test(ascii.slice(ascii.lastIndexOf(".") + 1))) return null;
  return { host: ascii, ip: false };
}

function invalid(entry: string, why: string): SafeShError {
  return new SafeShError(
    "ERR_SAFESH_POLICY_INVALID",
    `invalid network entry "${entry}": ${why}`,
    'use "example.com", "*.example.com", "203.0.113.7" or "[2001:db8::1]", optionally with ":port"',
  );
}

function parsePort(entry: string, digits: string): number {
  const port = Number(digits);
  if (!/^\d{1,5}$/.test(digits) || port < 1 || port > 65535) throw invalid(entry, `bad port "${digits}"`);
  return port;
}

/**
 * Parses one allow/deny entry.
 * @throws SafeShError ERR_SAFESH_POLICY_INVALID when the entry is malformed.
 */
export function parseRule(entry: string): HostRule {
  const text = entry.trim();
  let hostText = text;
  let port: number | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) throw invalid(entry, "missing ]");
    hostText = text.slice(0, close + 1);
    const rest = text.slice(close + 1);
    if (rest !== "") {
      if (!rest.startsWith(":")) throw invalid(entry, "expected :port after ]");
      port = parsePort(entry, rest.slice(1));
    }
  } else if (!isIPv6(text)) {
    const colon = text.lastIndexOf(":");
    if (colon >= 0) {
      hostText = text.slice(0, colon);
      port = parsePort(entry, text.slice(colon + 1));
    }
  }
  const wildcard = hostText.startsWith("*.");
  const normal = normalizeHost(wildcard ? hostText.slice(2) : hostText);
  if (!normal) throw invalid(entry, "not a host name or IP address");
  if (wildcard && normal.ip) throw invalid(entry, "wildcards apply to domain names only");
  const kind = normal.ip ? "ip" : wildcard ? "subdomains" : "exact";
  return port === undefined ? { entry: text, host: normal.host, kind } : { entry: text, host: normal.host, kind, port };
}

/**
 * Parses an allowPrivate entry: an address block (`10.0.0.0/8`, `127.0.0.1`, `fd00::/8`)
 * or a host pattern with the allow syntax (`intranet.example`, `*.corp.example:8443`).
 * @throws SafeShError ERR_SAFESH_POLICY_INVALID when it is neither.
 */
export function parsePrivateRule(entry: string): PrivateRule {
  const text = entry.trim();
  const cidr = parseCidr(text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text);
  if (cidr) return { type: "cidr", entry: text, cidr };
  return { type: "host", rule: parseRule(text) };
}

/**
 * Compiles the network section of a policy.
 * @throws SafeShError ERR_SAFESH_POLICY_INVALID naming the first malformed entry.
 */
export function compileRules(lists: { allow?: string[]; deny?: string[]; allowPrivate?: string[] }): RuleSet {
  return {
    allow: (lists.allow ?? []).map(parseRule),
    deny: (lists.deny ?? []).map(parseRule),
    allowPrivate: (lists.allowPrivate ?? []).map(parsePrivateRule),
  };
}

/** True when a normalised host and port match one rule. */
export function ruleMatches(rule: HostRule, host: NormalHost, port: number): boolean {
  if (rule.port !== undefined && rule.port !== port) return false;
  switch (rule.kind) {
    case "ip":
      return host.ip && host.host === rule.host;
    case "exact":
      return !host.ip && host.host === rule.host;
    case "subdomains":
      return !host.ip && host.host.endsWith(`.${rule.host}`);
  }
}

/** Matches a normalised destination: a deny entry wins over any allow entry. */
export function matchHost(rules: RuleSet, host: NormalHost, port: number): Match {
  const denied = rules.deny.find((r) => ruleMatches(r, host, port));
  if (denied) return { verdict: "deny", rule: denied.entry };
  const allowed = rules.allow.find((r) => ruleMatches(r, host, port));
  if (allowed) return { verdict: "allow", rule: allowed.entry };
  return { verdict: "unknown" };
}

/**
 * The allowPrivate entry that lets this host reach this non-public address, if any.
 * Cloud metadata addresses are reachable only through an entry naming that exact address.
 */
export function privateAllowance(rules: RuleSet, host: NormalHost, port: number, address: string): string | undefined {
  const metadata = classifyAddress(address) === "metadata";
  for (const p of rules.allowPrivate) {
    if (p.type === "cidr") {
      const exact = p.cidr.prefix === (p.cidr.family === 4 ? 32 : 128);
      if ((!metadata || exact) && cidrContains(p.cidr, address)) return p.entry;
    } else if (!metadata && ruleMatches(p.rule, host, port)) {
      return p.rule.entry;
    }
  }
  return undefined;
}
