import { env } from "cloudflare:workers";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { callJson } from "../../../test/helpers/http";
import { configOf } from "../../env";
import type { Session, UserView } from "./identity.schemas";
import { PASSWORD, registerUser, send, uniqueEmail } from "./identity.fixtures";
import { CURRENT_ITERATIONS, hashPassword } from "./password";
import { keyRing } from "./tokens";

describe("register", () => {
  it("creates a customer and answers 201 with a token pair", async () => {
    const email = uniqueEmail();
    const { status, body } = await send<Session>("/v1/auth/register", { email, password: PASSWORD, name: "Ada" });
    expect(status).toBe(201);
    expect(body.user).toMatchObject({ email, name: "Ada", role: "customer" });
    expect(body.user.id).toMatch(/^usr_/);
    expect(body.expiresIn).toBeLessThanOrEqual(15 * 60);
    expect(body.refreshToken.length).toBeGreaterThanOrEqual(43);
    expect(decodeProtectedHeader(body.accessToken)).toMatchObject({ alg: "ES256", kid: expect.any(String) });
  });

  it("normalises the email (trim + lower case) so one mailbox is one account", async () => {
    const email = uniqueEmail();
    const { body } = await send<Session>("/v1/auth/register", {
      email: `  ${email.toUpperCase()} `,
      password: PASSWORD,
      name: "Ada",
    });
    expect(body.user.email).toBe(email);
    expect((await send("/v1/auth/register", { email, password: PASSWORD, name: "Again" })).status).toBe(409);
  });

  it("answers 409 when the email is taken", async () => {
    const { email } = await registerUser();
    const { status, body } = await send("/v1/auth/register", { email, password: PASSWORD, name: "Twin" });
    expect(status).toBe(409);
    expect(body.errors).toEqual([{ path: "email", message: "already registered" }]);
  });

  it.each([
    ["a short password", { password: "short" }, "password"],
    ["a password over 128 characters", { password: "x".repeat(129) }, "password"],
    ["the email as password", { password: "EMAIL" }, "password"],
    ["a password containing the email's local part", { password: "LOCAL-and-more" }, "password"],
    ["an invalid email", { email: "not-an-email" }, "email"],
    ["an email over 254 characters", { email: `${"a".repeat(250)}@example.test` }, "email"],
    ["a name over 100 characters", { name: "n".repeat(101) }, "name"],
    ["an empty name", { name: "  " }, "name"],
    ["a number as name", { name: 42 }, "name"],
  ])("rejects %s with a field error", async (_case, override, field) => {
    const email = uniqueEmail("policy");
    const body: Record<string, unknown> = { email, password: PASSWORD, name: "Ok", ...override };
    if (body.password === "EMAIL") body.password = email;
    if (body.password === "LOCAL-and-more") body.password = `${email.split("@")[0]}-and-more`;
    const answer = await send("/v1/auth/register", body);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: field })]));
  });

  it("rejects unknown fields (a client cannot choose its role)", async () => {
    const answer = await send("/v1/auth/register", {
      email: uniqueEmail(),
      password: PASSWORD,
      name: "Eve",
      role: "admin",
    });
    expect(answer.status).toBe(400);
  });

  it("stores SQL- and script-laden names and emails verbatim and harmlessly", async () => {
    const name = `Robert'); DROP TABLE users;-- <script>alert(1)</script>`;
    const email = `o'brien+"<script>"-${crypto.randomUUID().slice(0, 8)}@example.test`.replace('"<script>"', "script");
    const { session } = await registerUser({ name, email });
    expect(session.user.name).toBe(name);
    const me = await callJson<UserView>("/v1/me", { token: session.accessToken });
    expect(me.body).toMatchObject({ name, email });
    expect(me.response.headers.get("Content-Type")).toContain("application/json");
    expect((await env.DB.prepare("SELECT count(*) AS n FROM users").first<{ n: number }>())?.n).toBeGreaterThan(0);
  });

  it("answers 400, not 500, to malformed JSON", async () => {
    const answer = await send("/v1/auth/register", "{not json");
    expect(answer.status).toBe(400);
  });
});

describe("login", () => {
  it("signs in with the right password", async () => {
    const { email, session } = await registerUser();
    const { status, body } = await send<Session>("/v1/auth/login", { email: email.toUpperCase(), password: PASSWORD });
    expect(status).toBe(200);
    expect(body.user.id).toBe(session.user.id);
    expect(body.refreshToken).not.toBe(session.refreshToken);
  });

  it("answers the same 401 for an unknown email and a wrong password", async () => {
    const { email } = await registerUser();
    const wrong = await send("/v1/auth/login", { email, password: "not the password" });
    const unknown = await send("/v1/auth/login", { email: uniqueEmail("ghost"), password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = ({ requestId: _r, ...rest }: Record<string, unknown>) => rest;
    expect(strip(unknown.body)).toEqual(strip(wrong.body));
  });

  it("upgrades a hash made with fewer iterations on the next good login", async () => {
    const { email, session } = await registerUser();
    await env.DB.prepare("UPDATE users SET password_hash = ? WHERE id = ?")
      .bind(await hashPassword(PASSWORD, 1_000), session.user.id)
      .run();
    expect((await send("/v1/auth/login", { email, password: PASSWORD })).status).toBe(200);
    const row = await env.DB.prepare("SELECT password_hash AS hash FROM users WHERE id = ?")
      .bind(session.user.id)
      .first<{ hash: string }>();
    expect(row?.hash.split("$")[1]).toBe(String(CURRENT_ITERATIONS));
    expect((await send("/v1/auth/login", { email, password: PASSWORD })).status).toBe(200);
  });

  it("verifies the seed script's hash format (the local admin)", async () => {
    const { hashPasswordForSeed } = await import("../../../seed/seed-sql.mjs");
    const { session } = await registerUser();
    await env.DB.prepare("UPDATE users SET password_hash = ? WHERE id = ?")
      .bind(hashPasswordForSeed("motor-admin-local", 1_000), session.user.id)
      .run();
    expect((await send("/v1/auth/login", { email: session.user.email, password: "motor-admin-local" })).status).toBe(
      200,
    );
  });

  it("answers 400 to an oversized password without hashing it", async () => {
    expect((await send("/v1/auth/login", { email: uniqueEmail(), password: "x".repeat(10_000) })).status).toBe(400);
  });
});

describe("tokens and /v1/me", () => {
  it("GET /v1/me answers the current user, 401 without a token", async () => {
    const { session } = await registerUser();
    const me = await callJson<UserView>("/v1/me", { token: session.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(session.user);
    expect((await callJson("/v1/me")).status).toBe(401);
  });

  it("issues access tokens that verify against the published JWKS, which holds public keys only", async () => {
    const { session } = await registerUser();
    const { body, response } = await callJson<{ keys: Record<string, unknown>[] }>("/.well-known/jwks.json");
    expect(response.headers.get("Cache-Control")).toContain("max-age");
    expect(body.keys.length).toBeGreaterThan(0);
    for (const key of body.keys) expect(key).not.toHaveProperty("d");
    const config = configOf(env);
    const { payload } = await jwtVerify(session.accessToken, createLocalJWKSet(body as never), {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    });
    expect(payload).toMatchObject({ sub: session.user.id, role: "customer" });
  });

  it("rejects a correctly signed token without an expiry (tokens must expire)", async () => {
    const { session } = await registerUser();
    const ring = await keyRing(env);
    const config = configOf(env);
    const eternal = await new SignJWT({ role: "customer" })
      .setProtectedHeader({ alg: "ES256", kid: ring.signingKid })
      .setSubject(session.user.id)
      .setIssuer(config.JWT_ISSUER)
      .setAudience(config.JWT_AUDIENCE)
      .setIssuedAt()
      .sign(ring.signingKey);
    expect((await callJson("/v1/me", { token: eternal })).status).toBe(401);
  });

  it("rejects a refresh token presented as a bearer token", async () => {
    const { session } = await registerUser();
    expect((await callJson("/v1/me", { token: session.refreshToken })).status).toBe(401);
  });

  it("answers 404 on /v1/me when the account was deleted after the token was issued", async () => {
    const { session } = await registerUser();
    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(session.user.id).run();
    expect((await callJson("/v1/me", { token: session.accessToken })).status).toBe(404);
  });
});
