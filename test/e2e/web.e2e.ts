// Static assets over real HTTP (wrangler dev runs Motor and the motor-web assets Worker; Motor's
// entry passes /assets/* to it before any middleware, which the workerd unit tests do not reach):
// hashed bundles come from the asset server with a long cache, the HTML shells only through Motor
// with their CSP.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { baseUrl, request } from "./http";

async function shellAssets(path: string) {
  const html = await (await fetch(baseUrl() + path)).text();
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
}

describe("static assets", () => {
  it("serves the hashed bundles named by the shells with a year-long immutable cache", async () => {
    const assets = await shellAssets("/");
    expect(assets.some((path) => path.endsWith(".js"))).toBe(true);
    expect(assets.some((path) => path.endsWith(".css"))).toBe(true);
    for (const path of assets) {
      const response = await fetch(baseUrl() + path);
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toContain("immutable");
      expect(response.headers.get("X-Request-Id")).toBeNull(); // the Worker never ran
    }
  });

  it("never serves a shell without the Worker (and so without its CSP)", async () => {
    for (const path of ["/pages/store", "/pages/store.html", "/pages/console.html"]) {
      const { status, headers } = await request(path);
      expect(status).toBe(404);
      expect(headers.get("Content-Type")).toMatch(/problem\+json/);
    }
    const page = await fetch(baseUrl() + "/admin/orders");
    expect(page.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
  });

  it("serves Scalar's bundle for /docs from our own origin", async () => {
    const response = await fetch(`${baseUrl()}/assets/vendor/scalar-api-reference.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/javascript/);
    await response.arrayBuffer();
  });
});

describe("page weight", () => {
  it.each(["/", "/admin"])("%s loads at most 60 KiB of gzipped JavaScript", async (path) => {
    let bytes = 0;
    for (const asset of (await shellAssets(path)).filter((file) => file.endsWith(".js"))) {
      bytes += gzipSync(Buffer.from(await (await fetch(baseUrl() + asset)).arrayBuffer())).length;
    }
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(60 * 1024);
  });
});
