import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson } from "../../../test/helpers/http";
import { SCALAR_BUNDLE_PATH } from ".";

const directives = (csp: string) =>
  new Map(
    csp.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

describe("web pages", () => {
  it.each([
    "/",
    "/products/classic-tee",
    "/cart",
    "/checkout",
    "/orders",
    "/orders/ord_x",
    "/account",
    "/reset-password?token=abc",
  ])("serves the storefront shell at %s", async (path) => {
    const response = await call(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<script type="module" src="\/assets\/app\/store-[A-Z0-9]+\.js"><\/script>/);
  });

  it.each(["/admin", "/admin/orders", "/admin/orders/ord_x", "/admin/metrics"])(
    "serves the console shell at %s",
    async (path) => {
      const response = await call(path);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/src="\/assets\/app\/console-[A-Z0-9]+\.js"/);
    },
  );

  it("answers every page with a CSP that allows no inline script, no eval, no framing and no other origin", async () => {
    const response = await call("/");
    const csp = directives(response.headers.get("Content-Security-Policy") ?? "");
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("style-src")).toEqual(["'self'"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(response.headers.get("Cache-Control")).toBe("no-cache");
  });

  it("puts no inline script in the shells", async () => {
    for (const path of ["/", "/admin"]) {
      const html = await (await call(path)).text();
      expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/ src="\/assets\//)]);
    }
  });

  it("passes /assets/* to the motor-web Worker before any middleware (no request id, the files' own cache rules)", async () => {
    const response = await call(SCALAR_BUNDLE_PATH);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/javascript/);
    expect(response.headers.get("X-Request-Id")).toBeNull();
    const missing = await call("/assets/no-such-file.js");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("Content-Type") ?? "").not.toMatch(/problem\+json/); // the asset server's 404, not Motor's
  });

  it("serves /docs with Scalar's bundle from our own assets and a fresh nonce for its one inline script", async () => {
    const [first, second] = [await call("/docs"), await call("/docs")];
    const html = await first.text();
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(first.headers.get("Content-Security-Policy") ?? "")?.[1];
    expect(nonce).toBeDefined();
    expect(second.headers.get("Content-Security-Policy")).not.toContain(nonce);
    expect(html).toContain(`<script src="${SCALAR_BUNDLE_PATH}" nonce="${nonce}">`);
    expect(html).not.toMatch(/https?:\/\/(cdn|fonts)\./);
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
    expect(directives(first.headers.get("Content-Security-Policy") ?? "").get("frame-ancestors")).toEqual(["'none'"]);
    const bundle = await env.ASSETS.fetch(new Request(`http://motor.test${SCALAR_BUNDLE_PATH}`));
    expect(bundle.status).toBe(200);
  });

  it("keeps unknown paths and API routes as problem+json, not the shell", async () => {
    const unknown = await call("/no-such-page");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("Content-Type")).toMatch(/problem\+json/);
    const { status, body } = await callJson<{ status: string }>("/health");
    expect([status, body.status]).toEqual([200, "ok"]);
  });
});
