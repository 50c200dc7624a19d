/**
 * SSRF guard for merchant webhook URLs, applied at registration AND before every delivery: the URL
 * itself (https, its port, no credentials, no IP literal outside public unicast, no name meaning
 * "this machine" or "cloud metadata"), then, before each delivery, every address its name resolves
 * to must be public. What is refused, and the residual DNS-rebinding risk: docs/async.md, "SSRF".
 */
import { expandIpv6, ipv4ToNumber } from "../../platform/ip";
import type { HostResolver } from "./dns-resolver";

export class UnsafeUrlError extends Error {}

const BLOCKED_HOSTS = new Set([
  "localhost",
  "metadata",
  "metadata.google.internal",
  "instance-data",
  "metadata.azure.com",
]);
const BLOCKED_SUFFIXES = [".localhost", ".internal", ".local", ".localdomain", ".home.arpa"];

/** [first octet, mask bits, network as a 32-bit number] */
const BLOCKED_V4: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

function isBlockedIpv4(address: number): boolean {
  return BLOCKED_V4.some(([network, bits]) => {
    const size = 2 ** (32 - bits);
    const start = ipv4ToNumber(network) ?? 0;
    return address >= start && address < start + size;
  });
}

/**
 * Only global unicast (2000::/3) may be called; that alone excludes ::, ::1, IPv4-mapped
 * (::ffff:0:0/96), NAT64 (64:ff9b::/96), link-local fe80::/10, unique-local fc00::/7 and multicast.
 * Inside it, the documentation range and the tunnels that embed an IPv4 address are refused too.
 */
function isBlockedIpv6(groups: number[]): boolean {
  const [first = 0, second = 0] = groups;
  if ((first & 0xe000) !== 0x2000) return true;
  if (first === 0x2001 && (second === 0x0db8 || second === 0)) return true; // documentation, Teredo
  return first === 0x2002; // 6to4
}

export function assertSafeWebhookUrl(raw: string, options: { allowHttp: boolean }): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError("not a valid absolute URL");
  }
  if (url.protocol !== "https:" && !(options.allowHttp && url.protocol === "http:")) {
    throw new UnsafeUrlError(
      options.allowHttp ? "only http and https URLs are allowed" : "only https URLs are allowed",
    );
  }
  if (url.username || url.password) throw new UnsafeUrlError("credentials in URLs are not allowed");
  // url.port is "" for the scheme's default port (443 for https, 80 for http)
  if (url.port !== "" && !(url.port === "443" || (options.allowHttp && url.port === "80"))) {
    throw new UnsafeUrlError(options.allowHttp ? "only ports 443 and 80 are allowed" : "only port 443 is allowed");
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[")) {
    const groups = expandIpv6(host.slice(1, -1));
    if (!groups || isBlockedIpv6(groups)) throw new UnsafeUrlError("the address is not a public one");
    return url;
  }
  const v4 = ipv4ToNumber(host);
  if (v4 !== undefined) {
    if (isBlockedIpv4(v4)) throw new UnsafeUrlError("the address is not a public one");
    return url;
  }
  if (!host.includes(".") || BLOCKED_HOSTS.has(host) || BLOCKED_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    throw new UnsafeUrlError("the host is local or internal");
  }
  return url;
}

/** True when an address some name resolved to is public unicast (neither v4 nor v6 blocked). */
export function isPublicAddress(address: string): boolean {
  const v4 = ipv4ToNumber(address);
  if (v4 !== undefined) return !isBlockedIpv4(v4);
  const groups = expandIpv6(address);
  return groups !== undefined && !isBlockedIpv6(groups);
}

/**
 * The delivery-time check: the URL again (rules may have tightened since registration), then every
 * address its host resolves to. DNS failures are NOT UnsafeUrlError: they are retried.
 */
export async function assertSafeWebhookTarget(
  raw: string,
  options: { allowHttp: boolean; resolver: HostResolver },
): Promise<URL> {
  const url = assertSafeWebhookUrl(raw, options);
  const host = url.hostname.replace(/\.$/, "");
  if (host.startsWith("[") || ipv4ToNumber(host) !== undefined) return url;
  const addresses = await options.resolver.resolve(host);
  if (addresses.length === 0) throw new UnsafeUrlError("the host does not resolve");
  if (!addresses.every(isPublicAddress))
    throw new UnsafeUrlError("the host resolves to an address that is not a public one");
  return url;
}

/** http is allowed only where the callee is a developer's own machine. */
export function allowsHttp(appEnv: string): boolean {
  return appEnv === "local" || appEnv === "test";
}
