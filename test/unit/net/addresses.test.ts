// Address classification: every refused range, IPv4 embedded in IPv6, and CIDR checks.
import { describe, expect, it } from "vitest";
import { cidrContains, classifyAddress, parseCidr, parseIp } from "../../../src/net/addresses";

describe("classifyAddress", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["2606:4700::1111", "public"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["169.254.1.1", "link-local"],
    ["fe80::1", "link-local"],
    ["febf::1", "link-local"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["100.64.0.1", "cgnat"],
    ["100.127.255.255", "cgnat"],
    ["100.128.0.1", "public"],
    ["169.254.169.254", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["255.255.255.255", "reserved"],
  ])("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "metadata"],
    ["::ffff:100.64.0.1", "cgnat"],
    ["::ffff:8.8.8.8", "public"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["2002:7f00:1::", "loopback"],
    ["::127.0.0.1", "loopback"],
  ])("judges IPv4 embedded in %s by its IPv4 part (%s)", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it("treats anything unparsable as reserved", () => {
    expect(classifyAddress("example.com")).toBe("reserved");
    expect(classifyAddress("1.2.3")).toBe("reserved");
  });
});

describe("parseIp and CIDRs", () => {
  it("expands IPv6 spellings to the same bytes", () => {
    expect(parseIp("0:0:0:0:0:0:0:1")!.bytes).toEqual(parseIp("[::1]")!.bytes);
    expect(parseIp("fe80::1%eth0")!.family).toBe(6);
    expect(parseIp("::ffff:1.2.3.4")!.bytes.slice(12)).toEqual(Uint8Array.from([1, 2, 3, 4]));
  });

  it("checks containment, including IPv4-mapped addresses against IPv4 blocks", () => {
    const block = parseCidr("10.0.0.0/8")!;
    expect(cidrContains(block, "10.200.0.1")).toBe(true);
    expect(cidrContains(block, "::ffff:10.200.0.1")).toBe(true);
    expect(cidrContains(block, "11.0.0.1")).toBe(false);
    expect(cidrContains(parseCidr("fd00::/8")!, "fd12::1")).toBe(true);
    expect(cidrContains(parseCidr("127.0.0.1")!, "127.0.0.2")).toBe(false);
  });

  it("rejects malformed blocks", () => {
    expect(parseCidr("10.0.0.0/33")).toBeNull();
    expect(parseCidr("10.0.0.0/x")).toBeNull();
    expect(parseCidr("example.com/8")).toBeNull();
  });
});
