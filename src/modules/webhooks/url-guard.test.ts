import { describe, expect, it } from "vitest";
import { expandIpv6 } from "../../platform/ip";
import { dohResolver } from "./dns-resolver";
import { fakeDohAnswer, fakeResolver, type Zone } from "./dns.fixtures";
import {
  allowsHttp,
  assertSafeWebhookTarget,
  assertSafeWebhookUrl,
  isPublicAddress,
  UnsafeUrlError,
} from "./url-guard";

const production = { allowHttp: false };
const local = { allowHttp: true };

describe("webhook URL guard (SSRF)", () => {
  it.each([
    "https://hooks.shop.example/motor",
    "https://hooks.shop.example:443/motor?x=1",
    "https://93.184.216.34/hook",
    "https://[2606:4700:4700::1111]/hook",
  ])("accepts the public URL %s", (url) => {
    expect(assertSafeWebhookUrl(url, production).toString()).toBe(new URL(url).toString());
  });

  it.each([
    ["plain http in production", "http://hooks.shop.example/"],
    ["another scheme", "ftp://hooks.shop.example/"],
    ["a file URL", "file:///etc/passwd"],
    ["not a URL", "hooks.shop.example"],
    // secretlint-disable-next-line -- a URL the guard must refuse, not a real credential
    ["credentials", "https://user:pass@hooks.shop.example/"],
    ["localhost", "https://localhost/"],
    ["a localhost subdomain", "https://api.localhost/"],
    ["a single-label host", "https://intranet/"],
    ["an .internal host", "https://db.internal/"],
    ["the GCP metadata host", "https://metadata.google.internal/computeMetadata/v1/"],
    ["loopback", "https://127.0.0.1/"],
    ["loopback elsewhere in 127/8", "https://127.10.0.1/"],
    ["0.0.0.0", "https://0.0.0.0/"],
    ["10/8", "https://10.1.2.3/"],
    ["172.16/12", "https://172.31.255.255/"],
    ["192.168/16", "https://192.168.1.1/"],
    ["link-local / cloud metadata", "https://169.254.169.254/latest/meta-data/"],
    ["CGNAT 100.64/10", "https://100.100.100.200/"],
    ["multicast", "https://224.0.0.1/"],
    ["decimal IPv4", "https://2130706433/"],
    ["hex IPv4", "https://0x7f.0.0.1/"],
    ["short hex IPv4", "https://0x7f000001/"],
    ["octal IPv4", "https://0177.0.0.1/"],
    ["mixed short IPv4", "https://127.1/"],
    ["IPv6 loopback", "https://[::1]/"],
    ["IPv6 unspecified", "https://[::]/"],
    ["IPv6-mapped IPv4 loopback", "https://[::ffff:127.0.0.1]/"],
    ["IPv6-mapped IPv4 metadata", "https://[::ffff:a9fe:a9fe]/"],
    ["NAT64 of a private address", "https://[64:ff9b::10.0.0.1]/"],
    ["IPv6 link-local", "https://[fe80::1]/"],
    ["IPv6 unique-local", "https://[fd00::1]/"],
    ["6to4", "https://[2002:7f00:1::]/"],
    ["a trailing-dot localhost", "https://localhost./"],
    ["another https port", "https://hooks.shop.example:8443/"],
    ["an https URL on port 80 in production", "https://hooks.shop.example:80/"],
    ["a database port", "https://hooks.shop.example:5432/"],
  ])("refuses %s", (_label, url) => {
    expect(() => assertSafeWebhookUrl(url, production)).toThrow(UnsafeUrlError);
  });

  it("allows http only for local and test, and still refuses private addresses there", () => {
    expect(assertSafeWebhookUrl("http://hooks.shop.example/", local).protocol).toBe("http:");
    expect(() => assertSafeWebhookUrl("http://127.0.0.1:9000/", local)).toThrow(UnsafeUrlError);
    expect([allowsHttp("local"), allowsHttp("test"), allowsHttp("staging"), allowsHttp("production")]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("expands IPv6 literals, including embedded IPv4, and rejects malformed ones", () => {
    expect(expandIpv6("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(expandIpv6("::ffff:127.0.0.1")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(expandIpv6("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const bad of ["1::2::3", "1:2:3", "12345::", "::ffff:999.0.0.1"]) expect(expandIpv6(bad)).toBeUndefined();
  });
});

describe("webhook URL ports", () => {
  it("allows 443 everywhere and 80 only where http is allowed (local, test)", () => {
    expect(assertSafeWebhookUrl("http://hooks.shop.example:80/", local).port).toBe("");
    expect(() => assertSafeWebhookUrl("http://hooks.shop.example:8080/", local)).toThrow(UnsafeUrlError);
    expect(() => assertSafeWebhookUrl("https://hooks.shop.example:80/", production)).toThrow(UnsafeUrlError);
  });
});

describe("delivery-time resolution (assertSafeWebhookTarget)", () => {
  const target = (url: string, zone: Record<string, string[]>) => {
    const resolver = fakeResolver(zone);
    return { resolver, check: () => assertSafeWebhookTarget(url, { allowHttp: false, resolver }) };
  };

  it("accepts a name whose every address is public", async () => {
    const { check, resolver } = target("https://hooks.shop.example/x", {
      "hooks.shop.example": ["93.184.215.14", "2606:4700::6810:84e5"],
    });
    await expect(check()).resolves.toBeInstanceOf(URL);
    expect(resolver.asked).toEqual(["hooks.shop.example"]);
  });

  it.each([
    ["127.0.0.1.nip.io", ["127.0.0.1"]],
    ["internal.shop.example", ["10.1.2.3"]],
    ["mixed.shop.example", ["93.184.215.14", "192.168.0.10"]],
    ["metadata.shop.example", ["169.254.169.254"]],
    ["v6-loopback.shop.example", ["::1"]],
    ["v6-link-local.shop.example", ["fe80::abcd"]],
    ["v6-ula.shop.example", ["fd00::5"]],
    ["v6-mapped.shop.example", ["::ffff:127.0.0.1"]],
    ["nowhere.shop.example", []],
  ])("refuses %s resolving to %j", async (host, addresses) => {
    const { check } = target(`https://${host}/hook`, { [host]: addresses });
    await expect(check()).rejects.toBeInstanceOf(UnsafeUrlError);
  });

  it("never resolves an IP literal (it was checked as a literal)", async () => {
    const { check, resolver } = target("https://93.184.215.14/hook", {});
    await expect(check()).resolves.toBeInstanceOf(URL);
    expect(resolver.asked).toEqual([]);
  });

  it("classifies addresses: public unicast only", () => {
    expect(["93.184.215.14", "2606:4700::1111"].every(isPublicAddress)).toBe(true);
    expect(
      ["127.0.0.1", "10.0.0.1", "169.254.1.1", "::1", "fe80::1", "fc00::1", "not-an-ip"].some(isPublicAddress),
    ).toBe(false);
  });
});

describe("dohResolver (against a strict fake DNS-over-HTTPS server)", () => {
  const resolverOver = (zone: Zone) =>
    dohResolver(
      async (input, init) => fakeDohAnswer(new Request(input, init), zone) ?? new Response("not DNS", { status: 500 }),
    );

  it("collects A and AAAA answers, following the CNAME chain to its addresses", async () => {
    const resolver = resolverOver((name) =>
      name === "www.shop.example"
        ? { CNAME: "edge.cdn.example", A: ["93.184.215.14"], AAAA: ["2606:4700::1"] }
        : "NXDOMAIN",
    );
    expect(await resolver.resolve("www.shop.example")).toEqual(["93.184.215.14", "2606:4700::1"]);
  });

  it("answers [] for a name that does not exist", async () => {
    expect(await resolverOver(() => "NXDOMAIN").resolve("gone.shop.example")).toEqual([]);
  });

  it("throws when DNS cannot answer (SERVFAIL or an HTTP error), so the delivery is retried", async () => {
    await expect(resolverOver(() => "SERVFAIL").resolve("x.shop.example")).rejects.toThrow(/RCODE 2/);
    await expect(
      dohResolver(async () => new Response("busy", { status: 503 })).resolve("x.shop.example"),
    ).rejects.toThrow(/failed/);
  });
});
