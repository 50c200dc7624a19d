import { describe, expect, it } from "vitest";
import { rateLimitKey } from "./ip";

describe("rateLimitKey", () => {
  it("keys IPv4 per address", () => {
    expect(rateLimitKey("203.0.113.7")).toBe("203.0.113.7");
  });

  it("keys IPv6 per /64, whatever the spelling of the address", () => {
    const key = rateLimitKey("2001:db8:1:2::1");
    expect(key).toBe("2001:db8:1:2::/64");
    expect(rateLimitKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe(key);
    expect(rateLimitKey("[2001:DB8:1:2::abc]")).toBe(key);
    expect(rateLimitKey("2001:db8:1:3::1")).not.toBe(key);
  });

  it("shares one bucket when the address is absent", () => {
    expect(rateLimitKey(null)).toBe("unknown");
  });
});
