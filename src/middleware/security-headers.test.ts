import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createTestApp } from "../../test/helpers/test-app";
import { API_CSP, HSTS, PERMISSIONS_POLICY } from "./security-headers";

const EVERY_ANSWER = {
  "Referrer-Policy": "no-referrer",
  "Permissions-Policy": PERMISSIONS_POLICY,
  "Cross-Origin-Opener-Policy": "same-origin",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
};

function expectSecurityHeaders(response: Response) {
  for (const [name, value] of Object.entries(EVERY_ANSWER)) expect(response.headers.get(name), name).toBe(value);
  expect(response.headers.get("Content-Security-Policy")).toBeTruthy();
}

describe("security headers", () => {
  it.each([
    ["a JSON answer", "/health", {}],
    ["a 404 problem", "/nope", {}],
    ["a 400 problem", "/test/echo", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" }],
    ["a 415 problem", "/test/echo", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "x" }],
    ["a 500", "/test/boom", {}],
  ] as const)("are on %s, with the API's deny-all CSP", async (_label, path, init) => {
    const response = await createTestApp().request(path, init as RequestInit);
    expectSecurityHeaders(response);
    expect(response.headers.get("Content-Security-Policy")).toBe(API_CSP);
  });

  it("are on the HTML reference page, whose CSP allows only scripts carrying this answer's nonce", async () => {
    const response = await createTestApp().request("/docs");
    expect(response.headers.get("Content-Type")).toContain("text/html");
    expectSecurityHeaders(response);
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const html = await response.text();
    expect([...html.matchAll(/<script\b[^>]*>/g)].every(([tag]) => tag.includes(`nonce="${nonce}"`))).toBe(true);
    const again = await createTestApp().request("/docs");
    expect(again.headers.get("Content-Security-Policy")).not.toBe(csp);
  });

  it("sends HSTS in production only", async () => {
    const { app } = createTestApp();
    const local = await app.request("/health", {}, env, createExecutionContext());
    expect(local.headers.get("Strict-Transport-Security")).toBeNull();
    const production = await app.request("/health", {}, { ...env, APP_ENV: "production" }, createExecutionContext());
    expect(production.headers.get("Strict-Transport-Security")).toBe(HSTS);
  });
});
