import { describe, expect, it } from "vitest";
import { isCodedError } from "../../../src/errors.js";
import { createAddressPolicy } from "../../../src/tools/web/address-policy.js";

function refusalOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (isCodedError(error)) return error.code;
    throw error;
  }
  return "allowed";
}

const policy = createAddressPolicy();
const check = (address: string) => refusalOf(() => policy.validate("host.test", [address]));

describe("address policy: special ranges", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private 10/8"],
    ["10.255.255.255", "private 10/8"],
    ["172.16.0.1", "private 172.16/12"],
    ["172.31.255.254", "private 172.16/12"],
    ["192.168.1.1", "private 192.168/16"],
    ["100.64.0.1", "CGNAT 100.64/10"],
    ["100.127.255.254", "CGNAT 100.64/10"],
    ["169.254.0.1", "link-local"],
    ["169.254.169.254", "cloud metadata"],
    ["0.0.0.0", "this network 0/8"],
    ["0.1.2.3", "this network 0/8"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved 240/4"],
    ["192.0.0.8", "IETF protocol assignments"],
    ["192.88.99.1", "6to4 relay anycast"],
    ["198.18.0.1", "benchmarking 198.18/15"],
    ["198.19.255.254", "benchmarking 198.18/15"],
    ["192.0.2.1", "documentation TEST-NET-1"],
    ["198.51.100.1", "documentation TEST-NET-2"],
    ["203.0.113.1", "documentation TEST-NET-3"],
    ["::1", "IPv6 loopback"],
    ["::", "IPv6 unspecified"],
    ["fc00::1", "unique local fc00::/7"],
    ["fd12:3456::1", "unique local fc00::/7"],
    ["fe80::1", "IPv6 link-local"],
    ["fe80::1%eth0", "IPv6 link-local with a zone"],
    ["fec0::1", "deprecated site-local"],
    ["ff02::1", "IPv6 multicast"],
    ["ff05::1:3", "IPv6 multicast"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:7f00:1", "IPv4-mapped loopback, hex"],
    ["::ffff:10.0.0.1", "IPv4-mapped private"],
    ["::ffff:169.254.169.254", "IPv4-mapped metadata"],
    ["::127.0.0.1", "IPv4-compatible loopback"],
    ["::7f00:1", "IPv4-compatible loopback, hex"],
    ["64:ff9b::7f00:1", "NAT64 of loopback"],
    ["64:ff9b::10.0.0.1", "NAT64 of private"],
    ["64:ff9b::a9fe:a9fe", "NAT64 of metadata"],
    ["64:ff9b:1::808:808", "local-use NAT64 64:ff9b:1::/48"],
    ["2002:7f00:1::", "6to4 embedding loopback"],
    ["2002:a00:1::1", "6to4 embedding private"],
    ["2002:808:808::1", "6to4 embedding a public address (refused outright)"],
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo (client 127.0.0.1, obfuscated)"],
    ["2001:db8::1", "IPv6 documentation"],
    ["2001:2::1", "IPv6 benchmarking"],
    ["100::1", "IPv6 discard"],
    ["4000::1", "outside global unicast 2000::/3"],
  ])("refuses %s (%s)", (address) => {
    expect(check(address)).toBe("web_address_refused");
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "100.63.255.255",
    "100.128.0.1",
    "172.15.255.255",
    "172.32.0.1",
    "2606:4700:4700::1111",
    "2001:4860:4860::8888",
    "64:ff9b::808:808",
  ])("allows the public address %s", (address) => {
    expect(check(address)).toBe("allowed");
  });

  it("connects to an IPv4-mapped public address as plain IPv4", () => {
    expect(policy.validate("host.test", ["::ffff:8.8.8.8"])).toEqual([{ address: "8.8.8.8", family: 4 }]);
  });

  it("refuses a host when any one of its addresses is special", () => {
    expect(refusalOf(() => policy.validate("multi.test", ["8.8.8.8", "10.0.0.5"]))).toBe(
      "web_address_refused",
    );
    expect(refusalOf(() => policy.validate("multi.test", ["2606:4700::1", "::1"]))).toBe(
      "web_address_refused",
    );
    expect(policy.validate("multi.test", ["8.8.8.8", "1.1.1.1"])).toHaveLength(2);
  });

  it("treats a host with no address as a failure, not a pass", () => {
    expect(refusalOf(() => policy.validate("empty.test", []))).toBe("web_fetch_failed");
  });

  it("reads IPv4 written in decimal, octal and hex as the address it is", () => {
    for (const notation of ["2130706433", "0x7f.1", "0177.0.0.1", "0x7f000001", "127.1", "0x7f.0.0.1"]) {
      expect(policy.literalAddress(notation)).toBe(notation);
      expect(check(notation)).toBe("web_address_refused");
    }
    expect(policy.literalAddress("example.com")).toBeUndefined();
  });
});

describe("address policy: URLs", () => {
  const url = (text: string) => refusalOf(() => policy.checkUrl(new URL(text)));

  it("only allows http and https", () => {
    expect(url("http://example.com/")).toBe("allowed");
    expect(url("https://example.com/")).toBe("allowed");
    for (const text of [
      "file:///etc/passwd",
      "ftp://example.com/",
      "gopher://example.com/",
      "data:text/plain,hi",
    ]) {
      expect(url(text)).toBe("web_address_refused");
    }
  });

  it("refuses credentials in the URL", () => {
    expect(url("http://user:secret@example.com/")).toBe("web_address_refused");
    expect(url("http://user@example.com/")).toBe("web_address_refused");
  });

  it("allows 80, 443 and 1024-65535, and no other port", () => {
    expect(url("http://example.com:80/")).toBe("allowed");
    expect(url("https://example.com:443/")).toBe("allowed");
    expect(url("http://example.com:443/")).toBe("allowed");
    expect(url("http://example.com:8080/")).toBe("allowed");
    expect(url("https://example.com:65535/")).toBe("allowed");
    for (const port of [0, 22, 25, 111, 1023])
      expect(url(`http://example.com:${port}/`)).toBe("web_address_refused");
  });

  it("gives the host name without brackets or a trailing dot", () => {
    expect(policy.hostnameOf(new URL("http://[::1]:8080/"))).toBe("::1");
    expect(policy.hostnameOf(new URL("http://LocalHost./"))).toBe("localhost");
  });
});

describe("address policy: allowlist", () => {
  it("opens exactly the listed ranges", () => {
    const open = createAddressPolicy({ allowCidrs: ["127.0.0.1/32", "10.1.0.0/16", "fd00::1"] });
    expect(open.validate("a", ["127.0.0.1"])).toEqual([{ address: "127.0.0.1", family: 4 }]);
    expect(open.validate("a", ["::ffff:127.0.0.1"])).toEqual([{ address: "127.0.0.1", family: 4 }]);
    expect(open.validate("a", ["10.1.2.3"])).toHaveLength(1);
    expect(open.validate("a", ["fd00::1"])).toEqual([{ address: "fd00::1", family: 6 }]);
    expect(refusalOf(() => open.validate("a", ["127.0.0.2"]))).toBe("web_address_refused");
    expect(refusalOf(() => open.validate("a", ["10.2.0.1"]))).toBe("web_address_refused");
    expect(refusalOf(() => open.validate("a", ["fd00::2"]))).toBe("web_address_refused");
  });

  it("opens a listed host name whatever it resolves to, and no other name", () => {
    const open = createAddressPolicy({ allowHosts: ["wiki.internal"] });
    expect(open.validate("wiki.internal", ["10.0.0.5"])).toHaveLength(1);
    expect(open.validate("WIKI.Internal.", ["10.0.0.5"])).toHaveLength(1);
    expect(refusalOf(() => open.validate("other.internal", ["10.0.0.5"]))).toBe("web_address_refused");
  });

  it("rejects an allowlist entry that is not an address or range", () => {
    expect(refusalOf(() => createAddressPolicy({ allowCidrs: ["intranet"] }))).toBe("config_invalid");
    expect(refusalOf(() => createAddressPolicy({ allowCidrs: ["10.0.0.0/40"] }))).toBe("config_invalid");
  });
});
