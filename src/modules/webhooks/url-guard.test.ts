import { describe, expect, it } from "vitest";
import { expandIpv6 } from "../../platform/ip";
import { allowsHttp, assertSafeWebhookUrl, UnsafeUrlError } from "./url-guard";

const production = { allowHttp: false };
const local = { allowHttp: true };

describe("webhook URL guard (SSRF)", () => {
  it.each([
    "https://hooks.shop.example/motor",
    "https://hooks.shop.example:8443/motor?x=1",
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
  ])("refuses %s", (_label, url) => {
    expect(() => assertSafeWebhookUrl(url, production)).toThrow(UnsafeUrlError);
  });

  it("allows http only for local and test, and still refuses private addresses there", () => {
    expect(assertSafeWebhookUrl("http://hooks.shop.example/", local).protocol).toBe("http:");
    expect(() => assertSafeWebhookUrl("http://127.0.0.1:9000/", local)).toThrow(UnsafeUrlError);
    expect([allowsHttp("local"), allowsHttp("test"), allowsHttp("staging"), allowsHttp("production")]).toEqual([true, true, false, false]);
  });

  it("expands IPv6 literals, including embedded IPv4, and rejects malformed ones", () => {
    expect(expandIpv6("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(expandIpv6("::ffff:127.0.0.1")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(expandIpv6("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const bad of ["1::2::3", "1:2:3", "12345::", "::ffff:999.0.0.1"]) expect(expandIpv6(bad)).toBeUndefined();
  });
});
