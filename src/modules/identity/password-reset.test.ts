import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../platform/crypto";
import { resetTokenFor } from "./derived-secrets";
import { PASSWORD, registerUser, send, uniqueEmail } from "./identity.fixtures";

const NEW_PASSWORD = "another long passphrase";

/** Asks for a reset link; reads the event's reference and derives the token, as the email consumer does. */
async function requestResetToken(email: string): Promise<{ token: string; userId: string; resetTokenId: string }> {
  const answer = await send("/v1/auth/password/forgot", { email });
  expect(answer.status).toBe(202);
  const row = await env.DB.prepare(
    "SELECT data FROM outbox_events WHERE type = 'user.password_reset_requested' AND " +
      "json_extract(data, '$.email') = ? ORDER BY occurred_at DESC LIMIT 1",
  )
    .bind(email)
    .first<{ data: string }>();
  const data = JSON.parse(row!.data) as { userId: string; resetTokenId: string };
  return { ...data, token: await resetTokenFor(env, data.resetTokenId) };
}

const reset = (token: string, password = NEW_PASSWORD) => send("/v1/auth/password/reset", { token, password });

describe("password reset", () => {
  it("writes a hashed one-time token and a user.password_reset_requested event carrying only its reference", async () => {
    const { email, session } = await registerUser();
    const { token, userId, resetTokenId } = await requestResetToken(email);
    expect(userId).toBe(session.user.id);
    const event = await env.DB.prepare(
      "SELECT version, data FROM outbox_events WHERE json_extract(data, '$.resetTokenId') = ?",
    )
      .bind(resetTokenId)
      .first<{ version: number; data: string }>();
    expect(event?.version).toBe(2);
    expect(Object.keys(JSON.parse(event!.data)).sort()).toEqual(["email", "resetTokenId", "userId"]);
    const stored = await env.DB.prepare(
      "SELECT token_hash, expires_at - created_at AS ttl FROM password_reset_tokens WHERE user_id = ?",
    )
      .bind(userId)
      .first<{ token_hash: string; ttl: number }>();
    expect(stored).toEqual({ token_hash: await sha256Hex(token), ttl: 30 * 60 * 1000 });
  });

  it("sends at most 3 reset emails per address per hour, from any IP, and still answers 202", async () => {
    const { email } = await registerUser();
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await send("/v1/auth/password/forgot", { email })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202]);
    const events = await env.DB.prepare(
      "SELECT count(*) AS n FROM outbox_events WHERE type = 'user.password_reset_requested' AND json_extract(data, '$.email') = ?",
    )
      .bind(email)
      .first<{ n: number }>();
    expect(events?.n).toBe(3);
  });

  it("answers 202 for an unknown email and writes nothing", async () => {
    const email = uniqueEmail("nobody");
    expect((await send("/v1/auth/password/forgot", { email })).status).toBe(202);
    const events = await env.DB.prepare(
      "SELECT count(*) AS n FROM outbox_events WHERE json_extract(data, '$.email') = ?",
    )
      .bind(email)
      .first<{ n: number }>();
    expect(events?.n).toBe(0);
  });

  it("sets the new password, revokes every refresh family and audits both steps", async () => {
    const { email, session } = await registerUser();
    const { token } = await requestResetToken(email);
    expect((await reset(token)).status).toBe(204);
    expect((await send("/v1/auth/login", { email, password: PASSWORD })).status).toBe(401);
    expect((await send("/v1/auth/login", { email, password: NEW_PASSWORD })).status).toBe(200);
    expect((await send("/v1/auth/refresh", { refreshToken: session.refreshToken })).status).toBe(401);
    const actions = await env.DB.prepare("SELECT action FROM audit_log WHERE subject = ? ORDER BY created_at")
      .bind(session.user.id)
      .all<{ action: string }>();
    expect(actions.results.map((row) => row.action)).toEqual(
      expect.arrayContaining(["auth.password_reset.requested", "auth.password_reset.completed"]),
    );
  });

  it("rejects a reset token used a second time", async () => {
    const { email } = await registerUser();
    const { token } = await requestResetToken(email);
    expect((await reset(token)).status).toBe(204);
    const again = await reset(token, "yet another passphrase");
    expect(again.status).toBe(400);
    expect(again.body.errors).toEqual([{ path: "token", message: "invalid, expired or already used" }]);
  });

  it("rejects an expired reset token", async () => {
    const { email } = await registerUser();
    const { token, userId } = await requestResetToken(email);
    await env.DB.prepare("UPDATE password_reset_tokens SET expires_at = ? WHERE user_id = ?")
      .bind(Date.now() - 1, userId)
      .run();
    expect((await reset(token)).status).toBe(400);
  });

  it("rejects an unknown token", async () => {
    expect((await reset("made-up-token")).status).toBe(400);
  });

  it("applies the password policy without spending the token", async () => {
    const { email } = await registerUser();
    const { token } = await requestResetToken(email);
    const tooShort = await reset(token, "short");
    expect(tooShort.status).toBe(400);
    const containsEmail = await reset(token, `${email}!!`);
    expect(containsEmail.body.errors).toEqual([{ path: "password", message: "must not contain your email address" }]);
    expect((await reset(token)).status).toBe(204);
  });

  it("a completed reset kills the user's other outstanding links", async () => {
    const { email } = await registerUser();
    const first = await requestResetToken(email);
    const second = await requestResetToken(email);
    expect((await reset(second.token)).status).toBe(204);
    expect((await reset(first.token)).status).toBe(400);
  });
});
