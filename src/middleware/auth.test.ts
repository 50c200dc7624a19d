import { env } from "cloudflare:workers";
import { SignJWT, generateKeyPair, exportJWK, base64url } from "jose";
import { describe, expect, it } from "vitest";
import { createUser } from "../../test/helpers/auth";
import { createTestApp } from "../../test/helpers/test-app";
import { configOf } from "../env";
import { keyRing, verifyAccessToken } from "../modules/identity/tokens";
import { requirePermission, requireUser } from "./auth";

function appWithGuards() {
  const test = createTestApp();
  test.app.get("/test/me", requireUser(), (c) => c.json({ userId: c.get("caller")?.userId }));
  test.app.get("/test/admin", requirePermission("users:manage"), (c) => c.json({ ok: true }));
  return test;
}

const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

async function signWith(
  claims: Record<string, unknown>,
  options: { kid?: string; typ?: string; alg?: string; key?: CryptoKey; exp?: string; aud?: string; iss?: string } = {},
) {
  const ring = await keyRing(env);
  const config = configOf(env);
  const alg = options.alg ?? "ES256";
  // everything right except what the test changes: typ at+jwt and a token version included
  return new SignJWT({ ver: 0, ...claims })
    .setProtectedHeader({ alg, kid: options.kid ?? ring.signingKid, typ: options.typ ?? "at+jwt" })
    .setSubject("usr_forged")
    .setIssuer(options.iss ?? config.JWT_ISSUER)
    .setAudience(options.aud ?? config.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? "5m")
    .sign(options.key ?? ring.signingKey);
}

describe("authentication", () => {
  it("lets a valid token through and exposes the caller", async () => {
    const user = await createUser("customer");
    const response = await appWithGuards().request("/test/me", bearer(user.token));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ userId: user.id });
  });

  it("answers 401 with WWW-Authenticate when no token is sent to a guarded route", async () => {
    const response = await appWithGuards().request("/test/me");
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
  });

  it.each([
    ["garbage", "not-a-jwt"],
    ["an empty bearer", ""],
    ["a Basic scheme", "Basic YWRtaW46YWRtaW4="],
  ])("answers 401 for %s even on a public route", async (_name, header) => {
    const response = await appWithGuards().request("/health", {
      headers: { Authorization: header.startsWith("Basic") ? header : `Bearer ${header}` },
    });
    expect(response.status).toBe(401);
  });

  it("rejects a token signed by another key (forged)", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await signWith({ role: "admin" }, { key: privateKey });
    expect((await appWithGuards().request("/test/admin", bearer(forged))).status).toBe(401);
  });

  it("rejects alg: none", async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    const payload = base64url.encode(
      JSON.stringify({
        sub: "usr_x",
        role: "admin",
        iss: configOf(env).JWT_ISSUER,
        aud: configOf(env).JWT_AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 60,
        iat: Math.floor(Date.now() / 1000),
      }),
    );
    expect((await appWithGuards().request("/test/admin", bearer(`${header}.${payload}.`))).status).toBe(401);
  });

  it("rejects HS256 signed with the public key (algorithm confusion)", async () => {
    const ring = await keyRing(env);
    const secret = new TextEncoder().encode(JSON.stringify(ring.publicJwks[0]));
    const token = await new SignJWT({ role: "admin" })
      .setProtectedHeader({ alg: "HS256", kid: ring.signingKid })
      .setSubject("usr_x")
      .setIssuer(configOf(env).JWT_ISSUER)
      .setAudience(configOf(env).JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(secret);
    expect((await appWithGuards().request("/test/admin", bearer(token))).status).toBe(401);
  });

  it("rejects an expired token", async () => {
    const expired = await signWith({ role: "admin" }, { exp: "-1m" });
    expect((await appWithGuards().request("/test/admin", bearer(expired))).status).toBe(401);
  });

  it("rejects a token for another audience or issuer", async () => {
    expect(
      (await appWithGuards().request("/test/admin", bearer(await signWith({ role: "admin" }, { aud: "other-api" }))))
        .status,
    ).toBe(401);
    expect(
      (
        await appWithGuards().request(
          "/test/admin",
          bearer(await signWith({ role: "admin" }, { iss: "https://evil.example" })),
        )
      ).status,
    ).toBe(401);
  });

  it("rejects a token with an unknown kid", async () => {
    expect(
      (await appWithGuards().request("/test/admin", bearer(await signWith({ role: "admin" }, { kid: "retired-key" }))))
        .status,
    ).toBe(401);
  });

  it("rejects a tampered payload", async () => {
    const user = await createUser("customer");
    const [header, , signature] = user.token.split(".");
    const payload = base64url.encode(
      JSON.stringify({
        sub: user.id,
        role: "admin",
        iss: configOf(env).JWT_ISSUER,
        aud: configOf(env).JWT_AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 600,
        iat: Math.floor(Date.now() / 1000),
      }),
    );
    expect((await appWithGuards().request("/test/admin", bearer(`${header}.${payload}.${signature}`))).status).toBe(
      401,
    );
  });

  it.each([
    ["no typ", undefined],
    ["typ JWT", "JWT"],
    ["typ application/jwt", "application/jwt"],
  ])("rejects a token whose header has %s (access tokens must say typ: at+jwt)", async (_name, typ) => {
    const user = await createUser("customer");
    const ring = await keyRing(env);
    const config = configOf(env);
    const token = await new SignJWT({ role: "customer", ver: 0 })
      .setProtectedHeader(
        typ === undefined ? { alg: "ES256", kid: ring.signingKid } : { alg: "ES256", kid: ring.signingKid, typ },
      )
      .setSubject(user.id)
      .setIssuer(config.JWT_ISSUER)
      .setAudience(config.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(ring.signingKey);
    expect((await appWithGuards().request("/test/me", bearer(token))).status).toBe(401);
  });

  it("signs access tokens with typ at+jwt", async () => {
    const user = await createUser("customer");
    expect(JSON.parse(atob(user.token.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/")))).toMatchObject({
      typ: "at+jwt",
      alg: "ES256",
    });
  });

  it("rejects a token without the token-version claim", async () => {
    const user = await createUser("customer");
    const ring = await keyRing(env);
    const config = configOf(env);
    const token = await new SignJWT({ role: "customer" })
      .setProtectedHeader({ alg: "ES256", kid: ring.signingKid, typ: "at+jwt" })
      .setSubject(user.id)
      .setIssuer(config.JWT_ISSUER)
      .setAudience(config.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(ring.signingKey);
    expect((await appWithGuards().request("/test/me", bearer(token))).status).toBe(401);
  });

  it.each(["bearer", "BEARER", "bEaReR"])(
    "accepts the scheme spelled %s (case-insensitive, RFC 9110 §11.1)",
    async (scheme) => {
      const user = await createUser("customer");
      const response = await appWithGuards().request("/test/me", {
        headers: { Authorization: `${scheme} ${user.token}` },
      });
      expect(response.status).toBe(200);
    },
  );

  it("rejects a role that does not exist", async () => {
    expect((await appWithGuards().request("/test/me", bearer(await signWith({ role: "superuser" })))).status).toBe(401);
  });
});

describe("authorisation", () => {
  it("answers 403 to a customer and 200 to an admin on an admin-only route", async () => {
    const customer = await createUser("customer");
    const staff = await createUser("staff");
    const admin = await createUser("admin");
    const { request } = appWithGuards();
    expect((await request("/test/admin", bearer(customer.token))).status).toBe(403);
    expect((await request("/test/admin", bearer(staff.token))).status).toBe(403);
    expect((await request("/test/admin", bearer(admin.token))).status).toBe(200);
  });
});

describe("key rotation", () => {
  it("verifies tokens of every configured key, signs with the first", async () => {
    const old = await generateKeyPair("ES256", { extractable: true });
    const oldJwk = { ...(await exportJWK(old.privateKey)), kid: "old-key" };
    const current = JSON.parse(env.JWT_SIGNING_KEYS) as object[];
    const rotated = { ...env, JWT_SIGNING_KEYS: JSON.stringify([...current, oldJwk]) };
    const ring = await keyRing(rotated);
    expect(ring.publicJwks.map((jwk) => jwk.kid)).toEqual([ring.signingKid, "old-key"]);
    expect(ring.publicJwks.every((jwk) => !("d" in jwk))).toBe(true);
    const config = configOf(env);
    const signedByOld = await new SignJWT({ role: "customer", ver: 0 })
      .setProtectedHeader({ alg: "ES256", kid: "old-key", typ: "at+jwt" })
      .setSubject("usr_rotated")
      .setIssuer(config.JWT_ISSUER)
      .setAudience(config.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(old.privateKey);
    await expect(verifyAccessToken(rotated, config, signedByOld)).resolves.toMatchObject({ userId: "usr_rotated" });
    await expect(verifyAccessToken(env, config, signedByOld)).rejects.toThrow();
  });
});
