/**
 * IP address text: IPv4 to a number, IPv6 to its eight hextets (the webhook SSRF guard uses both),
 * and the key a client address is rate-limited under.
 */

export function ipv4ToNumber(address: string): number | undefined {
  const parts = address.split(".");
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

/** Expands an IPv6 literal (without brackets) to 8 hextets; undefined when it is not one. */
export function expandIpv6(literal: string): number[] | undefined {
  let text = literal.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = ipv4ToNumber(dotted[1]);
    if (v4 === undefined) return undefined;
    text = text.slice(0, -dotted[1].length) + `${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (half: string | undefined) => (half ? half.split(":") : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => parseInt(group, 16));
}

/**
 * The rate-limit key of a client address. IPv4 is keyed per address; IPv6 per /64, the smallest
 * prefix an ISP hands a single customer (RFC 6177) — keyed per /128, one subscriber would own 2^64
 * fresh buckets. Anything unparseable (or absent: only local tools omit CF-Connecting-IP) shares
 * one bucket per distinct text, and absence shares "unknown".
 */
export function rateLimitKey(address: string | null): string {
  if (!address) return "unknown";
  if (!address.includes(":")) return address;
  const groups = expandIpv6(address.replace(/^\[|\]$/g, "").split("%")[0] ?? "");
  if (!groups) return address;
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}
