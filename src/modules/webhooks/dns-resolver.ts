/**
 * Host resolution for webhook deliveries. A Worker cannot ask the system resolver, so the
 * production resolver speaks DNS over HTTPS (the JSON API of Cloudflare's 1.1.1.1) with the
 * Worker's own fetch. It sits behind `HostResolver` so tests pass a strict fake and run offline.
 */

export interface HostResolver {
  /** Every A and AAAA address of `hostname`; [] when the name does not exist or has none. Throws when DNS cannot answer. */
  resolve(hostname: string): Promise<string[]>;
}

export const DOH_ENDPOINT = "https://cloudflare-dns.com/dns-query";
const DOH_TIMEOUT_MS = 3_000;
const RECORD_TYPES = { A: 1, AAAA: 28 } as const;
/** RFC 1035 RCODEs: 0 = NOERROR, 3 = NXDOMAIN (no such name); anything else is a failure to answer. */
const NOERROR = 0;
const NXDOMAIN = 3;

interface DohAnswer {
  Status: number;
  Answer?: { type: number; data: string }[];
}

export class DnsUnavailableError extends Error {}

export function dohResolver(
  fetcher: typeof fetch = (input, init) => fetch(input, init),
  endpoint = DOH_ENDPOINT,
): HostResolver {
  async function query(hostname: string, type: keyof typeof RECORD_TYPES): Promise<string[]> {
    const url = `${endpoint}?name=${encodeURIComponent(hostname)}&type=${type}`;
    let answer: DohAnswer;
    try {
      const response = await fetcher(url, {
        headers: { Accept: "application/dns-json" },
        signal: AbortSignal.timeout(DOH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`answered ${response.status}`);
      answer = (await response.json()) as DohAnswer;
    } catch (error) {
      throw new DnsUnavailableError(`DNS lookup of ${hostname} failed: ${String(error)}`);
    }
    if (answer.Status === NXDOMAIN) return [];
    if (answer.Status !== NOERROR)
      throw new DnsUnavailableError(`DNS lookup of ${hostname} answered RCODE ${answer.Status}`);
    // CNAME records (type 5) lead the chain; only the addresses at its end matter
    return (answer.Answer ?? []).filter((record) => record.type === RECORD_TYPES[type]).map((record) => record.data);
  }
  return {
    async resolve(hostname) {
      const [v4, v6] = await Promise.all([query(hostname, "A"), query(hostname, "AAAA")]);
      return [...v4, ...v6];
    },
  };
}
