import ipaddr from "ipaddr.js";
import { CodedError } from "../../errors.js";

/**
 * Which addresses the web tools may connect to (SSRF protection). Every address a host name resolves
 * to, and every literal address, must be public unicast; the URL itself must be http(s) without
 * credentials on an allowed port. Ranges come from ipaddr.js (its `range()` is "unicast" only outside
 * all IANA special-purpose blocks); on top of that:
 * - IPv6 must be global unicast (2000::/3), which also refuses ::/8 (IPv4-compatible ::a.b.c.d), fc00::/7,
 *   fe80::/10, fec0::/10, ff00::/8 and unassigned space;
 * - IPv4-mapped ::ffff:a.b.c.d and NAT64 64:ff9b::/96 are judged by the IPv4 address they embed;
 * - 6to4 (2002::/16), Teredo (2001::/32), local-use NAT64 (64:ff9b:1::/48) and the rest of the special
 *   IPv6 blocks are refused outright: their relays can reach whatever IPv4 address they embed.
 * Ports: 80, 443 and 1024–65535. Below 1024 other services live (SMTP, SSH, ...), which an HTTP request
 * should never be aimed at.
 * An allowlist opens specific internal hosts: a host name listed in `allowHosts` may resolve anywhere,
 * and an address inside one of `allowCidrs` is accepted whatever range it is in.
 */
export interface AddressPolicyOptions {
  /** Host names (exact, case-insensitive, e.g. "wiki.internal") accepted whatever they resolve to. */
  allowHosts?: readonly string[];
  /** Addresses or ranges (e.g. "10.1.2.3", "10.1.0.0/16", "fd00::/8") accepted whatever range they are in. */
  allowCidrs?: readonly string[];
}

/** An address that passed the policy: connect to exactly this one. */
export interface ValidatedAddress {
  address: string;
  family: 4 | 6;
}

export interface AddressPolicy {
  /** Scheme, credentials and port: throws `web_address_refused` when the URL may not be fetched. */
  checkUrl(url: URL): void;
  /** Host name as written in the URL, without IPv6 brackets or a trailing dot. */
  hostnameOf(url: URL): string;
  /** The address when `hostname` is an IP literal in any notation, else undefined (resolve it). */
  literalAddress(hostname: string): string | undefined;
  /** All of `addresses` must pass, or the host is refused (one private answer is enough to refuse). */
  validate(hostname: string, addresses: readonly string[]): ValidatedAddress[];
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

const globalUnicast = ipaddr.parseCIDR("2000::/3");
const nat64WellKnown = ipaddr.parseCIDR("64:ff9b::/96");
const allowedSchemes = new Set(["http:", "https:"]);

export function createAddressPolicy(options: AddressPolicyOptions = {}): AddressPolicy {
  const allowHosts = new Set((options.allowHosts ?? []).map(normalizeHostname));
  const allowCidrs = (options.allowCidrs ?? []).map(parseRange);

  function isAllowlisted(address: Address): boolean {
    return allowCidrs.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
  }

  return {
    checkUrl(url) {
      if (!allowedSchemes.has(url.protocol)) {
        throw refused(`only http and https URLs can be fetched, not ${url.protocol.replace(/:$/, "")}`);
      }
      if (url.username !== "" || url.password !== "") {
        throw refused("URLs with credentials (user:password@) are not fetched");
      }
      const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
      if (port !== 80 && port !== 443 && port < 1024) {
        throw refused(`port ${port} is not allowed (80, 443 and 1024-65535 are)`);
      }
    },

    hostnameOf: (url) => normalizeHostname(url.hostname),

    literalAddress(hostname) {
      return ipaddr.isValid(hostname) ? hostname : undefined;
    },

    validate(hostname, addresses) {
      if (addresses.length === 0) {
        throw new CodedError("web_fetch_failed", `${hostname} has no address`, { expected: true });
      }
      const hostAllowed = allowHosts.has(normalizeHostname(hostname));
      return addresses.map((text) => {
        const address = unmapped(parseAddress(text));
        if (!hostAllowed && !isAllowlisted(address)) {
          const range = refusedRange(address);
          if (range !== undefined) {
            throw refused(
              `${hostname} resolves to ${text}, a ${range} address, which is not reachable from here`,
            );
          }
        }
        return toValidated(address);
      });
    },
  };
}

/** The name of the special range `address` lies in, or undefined for a public unicast address. */
export function refusedRange(address: Address): string | undefined {
  if (address.kind() === "ipv4") {
    const range = address.range();
    return range === "unicast" ? undefined : range;
  }
  const ipv6 = address as ipaddr.IPv6;
  const range = ipv6.range();
  if (range === "ipv4Mapped" || ipv6.match(nat64WellKnown)) {
    const embedded = refusedRange(embeddedIpv4(ipv6));
    return embedded === undefined ? undefined : `${range} (embedding ${embedded})`;
  }
  if (range !== "unicast") return range;
  if (!ipv6.match(globalUnicast)) return "non-global IPv6";
  return undefined;
}

function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  return ipaddr.fromByteArray(address.toByteArray().slice(12)) as ipaddr.IPv4;
}

function parseAddress(text: string): Address {
  try {
    const address = ipaddr.parse(text);
    // Zone ids (fe80::1%eth0) say nothing about the range; keep the address alone.
    return address.kind() === "ipv6" ? new ipaddr.IPv6((address as ipaddr.IPv6).parts) : address;
  } catch (error) {
    throw new CodedError("web_address_refused", `"${text}" is not an IP address`, {
      expected: true,
      cause: error,
    });
  }
}

function toValidated(address: Address): ValidatedAddress {
  return { address: address.toString(), family: address.kind() === "ipv4" ? 4 : 6 };
}

/** ::ffff:a.b.c.d is judged, allowlisted and connected to as a.b.c.d. */
function unmapped(address: Address): Address {
  return address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? embeddedIpv4(address as ipaddr.IPv6)
    : address;
}

function parseRange(text: string): [Address, number] {
  try {
    if (text.includes("/")) return ipaddr.parseCIDR(text);
    const address = ipaddr.parse(text);
    return [address, address.kind() === "ipv4" ? 32 : 128];
  } catch (error) {
    throw new CodedError("config_invalid", `web allowlist entry "${text}" is not an address or CIDR range`, {
      expected: true,
      cause: error,
    });
  }
}

function normalizeHostname(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

function refused(message: string): CodedError {
  return new CodedError("web_address_refused", message, { expected: true });
}
