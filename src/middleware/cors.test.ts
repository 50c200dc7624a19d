import { describe, expect, it } from "vitest";
import { createTestApp } from "../../test/helpers/test-app";

// wrangler.toml's local CORS_ORIGINS allow http://localhost:3000
describe("cors", () => {
  it("allows a listed origin, without credentials", async () => {
    const { request } = createTestApp();
    const response = await request("/health", { headers: { Origin: "http://localhost:3000" } });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("http://localhost:3000");
    expect(response.headers.get("Access-Control-Allow-Credentials")).toBeNull();
  });

  it("adds only Vary: Origin to a same-origin request", async () => {
    const { request } = createTestApp();
    const response = await request("/health");
    expect(response.headers.get("Vary")).toBe("Origin");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(response.headers.get("Access-Control-Expose-Headers")).toBeNull();
  });

  it("sends no CORS grant to an unknown origin", async () => {
    const { request } = createTestApp();
    const response = await request("/health", { headers: { Origin: "https://evil.example" } });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(response.headers.get("Access-Control-Allow-Credentials")).toBeNull();
  });

  it("answers a preflight from a listed origin with the allowed headers", async () => {
    const { request } = createTestApp();
    const response = await request("/v1/checkout", {
      method: "OPTIONS",
      headers: {
        Origin: "http://localhost:3000",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "idempotency-key",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Headers")).toContain("Idempotency-Key");
  });
});
