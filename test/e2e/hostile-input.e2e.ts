// Hostile input over real HTTP (wrangler dev): the cases of the outside security pass, each answered
// as the contract says — never a 5xx, never a stored secret, never the cached answer of another method.
import { request as httpRequest } from "node:http";
import { describe, expect, it } from "vitest";
import { baseUrl, request } from "./http";

let ipCounter = 0;
const freshIp = () => `10.111.${Math.floor(Math.random() * 250)}.${(ipCounter += 1) % 250}`;

async function signUp(ip = freshIp()) {
  const email = `hostile-${crypto.randomUUID()}@example.test`;
  const password = "a perfectly long passphrase";
  const answer = await request("/v1/auth/register", {
    method: "POST",
    json: { email, password, name: "Hostile Test" },
    headers: { "CF-Connecting-IP": ip },
  });
  expect(answer.status).toBe(201);
  return { email, password, ip, accessToken: answer.body.accessToken as string };
}

/** A raw HTTP/1.1 request with exactly the headers given (fetch would add a Content-Type). */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, baseUrl());
    const outgoing = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method, headers },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on("error", reject);
    if (body !== undefined) outgoing.write(body);
    outgoing.end();
  });
}

describe("hostile input over HTTP", () => {
  it("answers 415 to a JSON-looking body sent without any Content-Type, with a length or chunked", async () => {
    const body = JSON.stringify({ country: "DE" });
    expect(
      await raw(
        "POST",
        "/v1/carts",
        { "Content-Length": String(Buffer.byteLength(body)), "CF-Connecting-IP": freshIp() },
        body,
      ),
    ).toBe(415);
    expect(
      await raw("POST", "/v1/carts", { "Transfer-Encoding": "chunked", "CF-Connecting-IP": freshIp() }, body),
    ).toBe(415);
    const { email } = await signUp();
    expect(
      await raw(
        "POST",
        "/v1/auth/login",
        { "Transfer-Encoding": "chunked", "CF-Connecting-IP": freshIp() },
        JSON.stringify({ email, password: "x" }),
      ),
    ).toBe(415);
  });

  it("agrees with the contract on bodies: POST /v1/carts may omit it, PATCH /v1/carts/{id} may not", async () => {
    const headers = { "CF-Connecting-IP": freshIp() };
    const created = await request("/v1/carts", { method: "POST", headers });
    expect(created.status).toBe(201);
    const patched = await request(`/v1/carts/${created.body.id as string}`, { method: "PATCH", headers });
    expect(patched.status).toBe(400);
    expect(patched.headers.get("Content-Type")).toBe("application/problem+json");
  });

  it("accepts the bearer scheme in any letter case", async () => {
    const { accessToken, ip } = await signUp();
    for (const scheme of ["bearer", "BEARER", "Bearer"]) {
      expect(
        (await request("/v1/me", { headers: { Authorization: `${scheme} ${accessToken}`, "CF-Connecting-IP": ip } }))
          .status,
      ).toBe(200);
    }
  });

  it.each([
    ["NUL", "Eve\\u0000"],
    ["a right-to-left override", "Eve\\u202Enimda"],
    ["a lone surrogate", "Eve\\ud800"],
    ["a zero-width space", "ad\\u200Bmin"],
  ])("refuses a name with %s (400) and stores nothing", async (_label, escapedName) => {
    const email = `hostile-${crypto.randomUUID()}@example.test`;
    const body = `{"email":"${email}","password":"a perfectly long passphrase","name":"${escapedName}"}`;
    const answer = await request("/v1/auth/register", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
    });
    expect(answer.status).toBe(400);
    expect((answer.body.errors as { path: string }[])[0]?.path).toBe("name");
  });

  it("never answers another method from the catalog cache", async () => {
    expect((await request("/v1/categories", { headers: { "CF-Connecting-IP": freshIp() } })).status).toBe(200);
    for (const method of ["DELETE", "PUT", "PATCH"]) {
      expect(
        (await request("/v1/categories", { method, headers: { "CF-Connecting-IP": freshIp() } })).status,
        method,
      ).toBe(404);
    }
  });

  it("ignores Motor-Cache: bypass from an anonymous caller", async () => {
    const ip = freshIp();
    await request("/v1/products/classic-tee", { headers: { "CF-Connecting-IP": ip } });
    const forced = await request("/v1/products/classic-tee", {
      headers: { "Motor-Cache": "bypass", "CF-Connecting-IP": ip },
    });
    expect(forced.status).toBe(200);
    expect(forced.headers.get("Server-Timing")).not.toContain('desc="miss"');
  });

  it("never stores or replays a login reached through a percent-encoded path", async () => {
    const { email, password } = await signUp();
    const key = `hostile-${crypto.randomUUID()}`;
    const login = () =>
      request("/v1/%61uth/login", {
        method: "POST",
        json: { email, password },
        headers: { "Idempotency-Key": key, "CF-Connecting-IP": freshIp() },
      });
    const [first, second] = [await login(), await login()];
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.get("Idempotent-Replayed")).toBeNull();
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
  });

  it("tells a customer nothing about which discount codes exist", async () => {
    const headers = { "CF-Connecting-IP": freshIp() };
    const cart = await request("/v1/carts", { method: "POST", json: { country: "ES" }, headers });
    const refused = await request(`/v1/carts/${cart.body.id as string}/discount`, {
      method: "POST",
      json: { code: `GUESS-${crypto.randomUUID().slice(0, 8)}` },
      headers,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.reason).toBe("unusable");
  });

  it("puts the security headers on JSON, problem and HTML answers", async () => {
    for (const path of ["/health", "/v1/nope", "/docs"]) {
      const answer = await request(path);
      expect(answer.headers.get("Content-Security-Policy"), path).toContain("default-src 'none'");
      expect(answer.headers.get("Referrer-Policy"), path).toBe("no-referrer");
      expect(answer.headers.get("Cross-Origin-Opener-Policy"), path).toBe("same-origin");
      expect(answer.headers.get("Permissions-Policy"), path).toContain("camera=()");
    }
  });
});
