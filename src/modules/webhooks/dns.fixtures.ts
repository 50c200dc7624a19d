/**
 * Test doubles for DNS, as strict as the real thing: a fake DNS-over-HTTPS server that speaks the
 * JSON API of 1.1.1.1 (and refuses malformed queries), and a fake resolver over a fixed zone that
 * refuses to be asked about an IP literal (the guard must never "resolve" one).
 */
import { expandIpv6, ipv4ToNumber } from "../../platform/ip";
import { DOH_ENDPOINT, type HostResolver } from "./dns-resolver";

export type Zone = (
  name: string,
) => { A?: readonly string[]; AAAA?: readonly string[]; CNAME?: string } | "NXDOMAIN" | "SERVFAIL";

/** Every `*.example.test` name has one public IPv4 address; the rest does not exist. */
export const testZone: Zone = (name) => (name.endsWith(".example.test") ? { A: ["93.184.215.14"] } : "NXDOMAIN");

/** Answers a request to the DoH endpoint, or undefined when the request is for someone else. */
export function fakeDohAnswer(request: Request, zone: Zone = testZone): Response | undefined {
  if (!request.url.startsWith(`${DOH_ENDPOINT}?`)) return undefined;
  const url = new URL(request.url);
  const name = url.searchParams.get("name");
  const type = url.searchParams.get("type");
  if (
    request.method !== "GET" ||
    request.headers.get("Accept") !== "application/dns-json" ||
    !name ||
    (type !== "A" && type !== "AAAA")
  ) {
    return new Response("bad query", { status: 400 });
  }
  const records = zone(name);
  // the shape 1.1.1.1 answers: fully qualified names, the question echoed, no Answer section when
  // there is nothing to answer (the zone's SOA in Authority instead)
  const fqdn = (host: string) => `${host}.`;
  const code = type === "A" ? 1 : 28;
  const head = { TC: false, RD: true, RA: true, AD: false, CD: false, Question: [{ name: fqdn(name), type: code }] };
  const dnsJson = (body: Record<string, unknown>) =>
    Response.json(body, { headers: { "Content-Type": "application/dns-json" } });
  const authority = [
    {
      name: "example.test.",
      type: 6,
      TTL: 300,
      data: "ns.example.test. hostmaster.example.test. 1 10000 2400 604800 300",
    },
  ];
  if (records === "SERVFAIL") return dnsJson({ Status: 2, ...head });
  if (records === "NXDOMAIN") return dnsJson({ Status: 3, ...head, Authority: authority });
  const answers = [
    ...(records.CNAME ? [{ name: fqdn(name), type: 5, TTL: 60, data: fqdn(records.CNAME) }] : []),
    ...(records[type] ?? []).map((data) => ({ name: fqdn(records.CNAME ?? name), type: code, TTL: 60, data })),
  ];
  return dnsJson(
    answers.length > 0 ? { Status: 0, ...head, Answer: answers } : { Status: 0, ...head, Authority: authority },
  );
}

export function fakeResolver(zone: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async resolve(hostname) {
      if (ipv4ToNumber(hostname) !== undefined || hostname.startsWith("[") || expandIpv6(hostname))
        throw new Error(`asked to resolve an IP literal: ${hostname}`);
      asked.push(hostname);
      return zone[hostname] ?? [];
    },
  };
}
