import { describe, expect, it } from "vitest";
import { request } from "./http";

// our own client IP (wrangler dev keeps an inbound CF-Connecting-IP): other suites' traffic from
// 127.0.0.1 never shares a rate-limit bucket with this one
const headers = { "CF-Connecting-IP": "203.0.113.41" };
const post = (path: string, json: unknown, token?: string) => request(path, { method: "POST", json, token, headers });
const get = (path: string, token?: string) => request(path, { token, headers });

interface SessionBody {
  user: { id: string; email: string; role: string };
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

async function adminToken(): Promise<string> {
  const login = await post("/v1/auth/login", { email: "admin@motor.local", password: "motor-admin-local" });
  expect(login.status).toBe(200);
  return (login.body as unknown as SessionBody).accessToken;
}

async function waitForEmail(to: string, token: string): Promise<{ text: string }> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const { body } = await get(`/v1/admin/emails?to=${encodeURIComponent(to)}`, token);
    const emails = (body.data ?? []) as { text: string }[];
    if (emails.length > 0) return emails[0]!;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no email reached ${to}`);
}

describe("identity over HTTP (wrangler dev)", () => {
  it("register, login, me, refresh; a second tab gets the same successor; reuse after it rotated is 401, family revoked", async () => {
    const email = `e2e-${crypto.randomUUID()}@example.test`;
    const password = "an end-to-end passphrase";
    const registered = await post("/v1/auth/register", { email, password, name: "E2E" });
    expect(registered.status).toBe(201);

    const login = await post("/v1/auth/login", { email, password });
    expect(login.status).toBe(200);
    const session = login.body as unknown as SessionBody;

    const me = await get("/v1/me", session.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email, role: "customer" });

    const rotated = await post("/v1/auth/refresh", { refreshToken: session.refreshToken });
    expect(rotated.status).toBe(200);
    const successor = (rotated.body as unknown as SessionBody).refreshToken;
    // within the grace window a second tab presenting the same token gets the same successor
    const secondTab = await post("/v1/auth/refresh", { refreshToken: session.refreshToken });
    expect(secondTab.status).toBe(200);
    expect((secondTab.body as unknown as SessionBody).refreshToken).toBe(successor);

    const next = await post("/v1/auth/refresh", { refreshToken: successor });
    expect(next.status).toBe(200);
    // the original token again, now that its successor has rotated: a reuse
    const replay = await post("/v1/auth/refresh", { refreshToken: session.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.headers.get("content-type")).toBe("application/problem+json");
    expect(
      (await post("/v1/auth/refresh", { refreshToken: (next.body as unknown as SessionBody).refreshToken })).status,
    ).toBe(401);

    const audit = await get(`/v1/admin/audit?action=auth.refresh.reuse_detected&limit=100`, await adminToken());
    expect(audit.status).toBe(200);
    expect(audit.body.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ subject: session.user.id, ip: headers["CF-Connecting-IP"] })]),
    );
  });

  it("signs the seeded local admin in, whose token passes the admin guard", async () => {
    const token = await adminToken();
    expect((await get("/v1/me", token)).body).toMatchObject({ email: "admin@motor.local", role: "admin" });
    expect((await get("/v1/admin/audit?limit=1", token)).status).toBe(200);
  });

  it("mails a one-time reset link through the outbox and queue, and the link works once", async () => {
    const email = `e2e-reset-${crypto.randomUUID()}@example.test`;
    expect((await post("/v1/auth/register", { email, password: "the first passphrase", name: "Reset" })).status).toBe(
      201,
    );
    expect((await post("/v1/auth/password/forgot", { email })).status).toBe(202);
    const mail = await waitForEmail(email, await adminToken());
    const token = /token=([A-Za-z0-9_%-]+)/.exec(mail.text)?.[1];
    expect(token).toBeTruthy();
    const newPassword = "the second passphrase";
    expect(
      (await post("/v1/auth/password/reset", { token: decodeURIComponent(token!), password: newPassword })).status,
    ).toBe(204);
    expect(
      (await post("/v1/auth/password/reset", { token: decodeURIComponent(token!), password: newPassword })).status,
    ).toBe(400);
    expect((await post("/v1/auth/login", { email, password: newPassword })).status).toBe(200);
  });

  it("publishes public keys only, cacheable", async () => {
    const jwks = await get("/.well-known/jwks.json");
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get("cache-control")).toContain("max-age=");
    for (const key of jwks.body.keys as Record<string, unknown>[]) expect(key.d).toBeUndefined();
  });
});
