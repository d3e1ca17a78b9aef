// IP address parsing and classification: which resolved addresses the proxy may
// connect to (public) and which it refuses unless allowPrivate lists them.
import { isIPv4, isIPv6 } from "node:net";

/** Where an address points; everything except "public" is refused by default. */
export type AddressKind =
  | "public"
  | "private"
  | "loopback"
  | "link-local"
  | "multicast"
  | "unspecified"
  | "cgnat"
  | "reserved"
  | "metadata";

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
export interface ParsedIp {
  family: 4 | 6;
  bytes: Uint8Array;
}

/** An address block such as `10.0.0.0/8` or `fd00::/8`; a bare address has the full prefix. */
export interface Cidr extends ParsedIp {
  prefix: number;
}

interface Range {
  base: number[];
  prefix: number;
  kind: AddressKind;
}

// Most specific first: the metadata address sits inside link-local.
const v4Ranges: Range[] = [
  { base: [169, 254, 169, 254], prefix: 32, kind: "metadata" },
  { base: [0, 0, 0, 0], prefix: 8, kind: "unspecified" }, // Linux routes 0.0.0.0 to the local host
  { base: [10, 0, 0, 0], prefix: 8, kind: "private" },
  { base: [100, 64, 0, 0], prefix: 10, kind: "cgnat" },
  { base: [127, 0, 0, 0], prefix: 8, kind: "loopback" },
  { base: [169, 254, 0, 0], prefix: 16, kind: "link-local" },
  { base: [172, 16, 0, 0], prefix: 12, kind: "private" },
  { base: [192, 168, 0, 0], prefix: 16, kind: "private" },
  { base: [224, 0, 0, 0], prefix: 4, kind: "multicast" },
  { base: [240, 0, 0, 0], prefix: 4, kind: "reserved" }, // includes 255.255.255.255
];

const v6Ranges: Range[] = [
  { base: [0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54], prefix: 128, kind: "metadata" },
  { base: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], prefix: 128, kind: "unspecified" },
  { base: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], prefix: 128, kind: "loopback" },
  { base: [0xfc], prefix: 7, kind: "private" },
  { base: [0xfe, 0xc0], prefix: 10, kind: "private" }, // deprecated site-local
  { base: [0xfe, 0x80], prefix: 10, kind: "link-local" },
  { base: [0xff], prefix: 8, kind: "multicast" },
];

// IPv6 prefixes that carry an IPv4 address the packet may end up at:
// IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16.
const embeddings: { base: number[]; prefix: number; offset: number }[] = [
  { base: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], prefix: 96, offset: 12 },
  { base: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], prefix: 96, offset: 12 },
  { base: [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], prefix: 96, offset: 12 },
  { base: [0x20, 0x02], prefix: 16, offset: 2 },
];

function parseV4(text: string): Uint8Array | null {
  if (!isIPv4(text)) return null;
  return Uint8Array.from(text.split(".").map(Number));
}

function parseV6(text: string): Uint8Array | null {
  const plain = text.replace(/%.*$/, ""); // zone ids do not change the address
  if (!isIPv6(plain)) return null;
  let hex = plain;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (dotted) {
    const v4 = parseV4(dotted[1]!);
    if (!v4) return null;
    const tail = `${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
    hex = plain.slice(0, dotted.index) + tail;
  }
  const halves = hex.split("::");
  const left = halves[0] ? halves[0].split(":") : [];
  const right = halves.length > 1 && halves[1] ? halves[1].split(":") : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

/** Parses an IPv4 or IPv6 address (brackets and zone ids tolerated); null when it is not one. */
export function parseIp(text: string): ParsedIp | null {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const v4 = parseV4(bare);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseV6(bare);
  return v6 ? { family: 6, bytes: v6 } : null;
}

function hasPrefix(bytes: Uint8Array, base: ArrayLike<number>, prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit += 8) {
    const mask = prefix - bit >= 8 ? 0xff : (0xff << (8 - (prefix - bit))) & 0xff;
    if (((bytes[bit / 8] ?? 0) & mask) !== ((base[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

/** The IPv4 address an IPv6 address embeds (mapped, compatible, NAT64, 6to4), if any. */
export function embeddedV4(ip: ParsedIp): ParsedIp | null {
  if (ip.family !== 6) return null;
  // :: and ::1 are IPv6 addresses of their own, not IPv4-compatible forms of 0.0.0.0/0.0.0.1.
  if (hasPrefix(ip.bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 120) && ip.bytes[15]! <= 1) return null;
  for (const e of embeddings) {
    if (hasPrefix(ip.bytes, e.base, e.prefix)) return { family: 4, bytes: ip.bytes.slice(e.offset, e.offset + 4) };
  }
  return null;
}

/** Classifies an address; IPv4 embedded in IPv6 is judged by its IPv4 part. Unparsable → "reserved". */
export function classifyAddress(address: string): AddressKind {
  const ip = parseIp(address);
  if (!ip) return "reserved";
  const v4 = embeddedV4(ip);
  const target = v4 ?? ip;
  const ranges = target.family === 4 ? v4Ranges : v6Ranges;
  return ranges.find((r) => hasPrefix(target.bytes, r.base, r.prefix))?.kind ?? "public";
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a bare address (full prefix); null when invalid. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf("/");
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return null;
  const max = ip.family === 4 ? 32 : 128;
  if (slash < 0) return { ...ip, prefix: max };
  const digits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(digits) || Number(digits) > max) return null;
  return { ...ip, prefix: Number(digits) };
}

/** True when the address lies in the block; an IPv4-in-IPv6 address also matches IPv4 blocks. */
export function cidrContains(cidr: Cidr, address: string): boolean {
  const ip = parseIp(address);
  if (!ip) return false;
  const candidates = [ip, embeddedV4(ip)].filter((c): c is ParsedIp => c !== null);
  return candidates.some((c) => c.family === cidr.family && hasPrefix(c.bytes, cidr.bytes, cidr.prefix));
}
