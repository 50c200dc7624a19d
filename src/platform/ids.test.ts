import { describe, expect, it } from "vitest";
import { newId, newSecret } from "./ids";

describe("ids", () => {
  it("are prefixed, URL-safe and carry 128 bits", () => {
    const id = newId("cart");
    expect(id).toMatch(/^cart_[0-9A-Za-z]{22}$/);
  });

  it("never repeat across many draws", () => {
    const ids = new Set(Array.from({ length: 5_000 }, () => newId("ord")));
    expect(ids.size).toBe(5_000);
  });

  it("secrets are base64url with 256 bits", () => {
    expect(newSecret()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
