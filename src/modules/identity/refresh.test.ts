import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../../../test/helpers/http";
import { sha256Hex } from "../../platform/crypto";
import { REFRESH_REUSE_GRACE_MS } from "./auth.service";
import type { Session } from "./identity.schemas";
import { REFRESH_FAMILY_TTL_MS } from "./sessions";
import { registerUser, send } from "./identity.fixtures";

const refresh = (refreshToken: string) => send<Session>("/v1/auth/refresh", { refreshToken });

async function auditCount(action: string, subject: string) {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = ? AND subject = ?")
    .bind(action, subject)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Moves a token's rotation out of the grace window, as if it had been rotated a minute ago. */
async function rotatedLongAgo(token: string) {
  await env.DB.prepare("UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ?")
    .bind(Date.now() - REFRESH_REUSE_GRACE_MS - 60_000, await sha256Hex(token))
    .run();
}

describe("refresh tokens", () => {
  it("rotates: a refresh answers a new pair and the new token works", async () => {
    const { session } = await registerUser();
    const first = await refresh(session.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(session.refreshToken);
    expect(first.body.user.id).toBe(session.user.id);
    expect((await refresh(first.body.refreshToken)).status).toBe(200);
  });

  it("stores only a hash of the token", async () => {
    const { session } = await registerUser();
    const stored = await env.DB.prepare("SELECT token_hash FROM refresh_tokens WHERE user_id = ?")
      .bind(session.user.id)
      .all<{ token_hash: string }>();
    expect(stored.results.map((row) => row.token_hash)).toEqual([await sha256Hex(session.refreshToken)]);
  });

  it("a rotated token replayed after the grace window answers 401, revokes the whole family and is audited", async () => {
    const { session } = await registerUser();
    const rotated = await refresh(session.refreshToken);
    expect(rotated.status).toBe(200);
    await rotatedLongAgo(session.refreshToken);
    const replay = await refresh(session.refreshToken);
    expect(replay.status).toBe(401);
    // the legitimate successor dies with its family
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
    expect(await auditCount("auth.refresh.reuse_detected", session.user.id)).toBe(1);
  });

  it("two tabs refreshing one token at once both get the same successor, and the session lives on", async () => {
    const { session } = await registerUser();
    const answers = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers[0]!.body.refreshToken).toBe(answers[1]!.body.refreshToken);
    expect(answers[0]!.body.refreshToken).not.toBe(session.refreshToken);
    // one successor row only, and it still works
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM refresh_tokens WHERE user_id = ?")
      .bind(session.user.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(2);
    expect((await refresh(answers[0]!.body.refreshToken)).status).toBe(200);
    expect(await auditCount("auth.refresh.reuse_detected", session.user.id)).toBe(0);
  });

  it("within the grace window a token presented again answers its successor, not a new one", async () => {
    const { session } = await registerUser();
    const first = await refresh(session.refreshToken);
    const second = await refresh(session.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).toBe(first.body.refreshToken);
  });

  it("within the grace window a token whose successor was already rotated is a reuse", async () => {
    const { session } = await registerUser();
    const first = await refresh(session.refreshToken);
    expect((await refresh(first.body.refreshToken)).status).toBe(200);
    expect((await refresh(session.refreshToken)).status).toBe(401);
    expect(await auditCount("auth.refresh.reuse_detected", session.user.id)).toBe(1);
  });

  it("ends a family at its absolute lifetime (90 days) even while its sliding expiry is ahead", async () => {
    const { session } = await registerUser();
    const row = await env.DB.prepare(
      "SELECT created_at, expires_at, family_expires_at FROM refresh_tokens WHERE user_id = ?",
    )
      .bind(session.user.id)
      .first<{ created_at: number; expires_at: number; family_expires_at: number }>();
    expect(row!.family_expires_at - row!.created_at).toBe(REFRESH_FAMILY_TTL_MS);
    await env.DB.prepare("UPDATE refresh_tokens SET family_expires_at = ? WHERE user_id = ?")
      .bind(Date.now() - 1, session.user.id)
      .run();
    expect(row!.expires_at).toBeGreaterThan(Date.now());
    expect((await refresh(session.refreshToken)).status).toBe(401);
  });

  it("never issues a successor that outlives its family", async () => {
    const { session } = await registerUser();
    const familyEnd = Date.now() + 60_000;
    await env.DB.prepare("UPDATE refresh_tokens SET family_expires_at = ? WHERE user_id = ?")
      .bind(familyEnd, session.user.id)
      .run();
    const next = await refresh(session.refreshToken);
    const successor = await env.DB.prepare(
      "SELECT expires_at, family_expires_at FROM refresh_tokens WHERE token_hash = ?",
    )
      .bind(await sha256Hex(next.body.refreshToken))
      .first<{ expires_at: number; family_expires_at: number }>();
    expect(successor).toEqual({ expires_at: familyEnd, family_expires_at: familyEnd });
  });

  it("answers 401 to an expired refresh token", async () => {
    const { session } = await registerUser();
    await env.DB.prepare("UPDATE refresh_tokens SET expires_at = ? WHERE user_id = ?")
      .bind(Date.now() - 1, session.user.id)
      .run();
    expect((await refresh(session.refreshToken)).status).toBe(401);
  });

  it.each([
    ["an unknown token", "x".repeat(43)],
    ["an access token", "eyJ.a.b"],
  ])("answers 401 to %s", async (_case, token) => {
    expect((await refresh(token)).status).toBe(401);
  });

  it.each([[{}], [{ refreshToken: "" }], [{ refreshToken: "x".repeat(257) }], [{ refreshToken: 12 }]])(
    "answers 400 to the malformed body %j",
    async (body) => {
      expect((await send("/v1/auth/refresh", body)).status).toBe(400);
    },
  );

  it("logout revokes the family and answers 204, also for an unknown token", async () => {
    const { session } = await registerUser();
    expect((await send("/v1/auth/logout", { refreshToken: session.refreshToken })).status).toBe(204);
    expect((await refresh(session.refreshToken)).status).toBe(401);
    expect((await send("/v1/auth/logout", { refreshToken: "never-issued" })).status).toBe(204);
  });

  it("logout of one device leaves the user's other sessions alive", async () => {
    const { email, password, session } = await registerUser();
    const other = await send<Session>("/v1/auth/login", { email, password });
    await send("/v1/auth/logout", { refreshToken: session.refreshToken });
    expect((await refresh(other.body.refreshToken)).status).toBe(200);
  });

  it("a refreshed access token carries the role stored now", async () => {
    const { session } = await registerUser();
    await env.DB.prepare("UPDATE users SET role = 'staff' WHERE id = ?").bind(session.user.id).run();
    const { body } = await refresh(session.refreshToken);
    expect(body.user.role).toBe("staff");
    expect((await callJson("/v1/me", { token: body.accessToken })).body).toMatchObject({ role: "staff" });
  });
});
