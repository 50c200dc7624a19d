import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../../../test/helpers/http";
import { sha256Hex } from "../../platform/crypto";
import type { Session } from "./identity.schemas";
import { registerUser, send } from "./identity.test-helpers";

const refresh = (refreshToken: string) => send<Session>("/v1/auth/refresh", { refreshToken });

async function auditCount(action: string, subject: string) {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = ? AND subject = ?").bind(action, subject).first<{ n: number }>();
  return row?.n ?? 0;
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
    const stored = await env.DB.prepare("SELECT token_hash FROM refresh_tokens WHERE user_id = ?").bind(session.user.id).all<{ token_hash: string }>();
    expect(stored.results.map((row) => row.token_hash)).toEqual([await sha256Hex(session.refreshToken)]);
  });

  it("a replayed (rotated) token answers 401, revokes the whole family and is audited", async () => {
    const { session } = await registerUser();
    const rotated = await refresh(session.refreshToken);
    expect(rotated.status).toBe(200);
    const replay = await refresh(session.refreshToken);
    expect(replay.status).toBe(401);
    // the legitimate successor dies with its family
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
    expect(await auditCount("auth.refresh.reuse_detected", session.user.id)).toBe(1);
  });

  it("lets only one of two concurrent uses of the same token succeed", async () => {
    const { session } = await registerUser();
    const answers = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    const winner = answers.find((answer) => answer.status === 200)!;
    // the loser is a reuse: the family, winner's successor included, is revoked
    expect((await refresh(winner.body.refreshToken)).status).toBe(401);
    const live = await env.DB.prepare("SELECT count(*) AS n FROM refresh_tokens WHERE user_id = ? AND revoked_at IS NULL").bind(session.user.id).first<{ n: number }>();
    expect(live?.n).toBe(0);
  });

  it("answers 401 to an expired refresh token", async () => {
    const { session } = await registerUser();
    await env.DB.prepare("UPDATE refresh_tokens SET expires_at = ? WHERE user_id = ?").bind(Date.now() - 1, session.user.id).run();
    expect((await refresh(session.refreshToken)).status).toBe(401);
  });

  it.each([["an unknown token", "x".repeat(43)], ["an access token", "eyJ.a.b"]])("answers 401 to %s", async (_case, token) => {
    expect((await refresh(token)).status).toBe(401);
  });

  it.each([[{}], [{ refreshToken: "" }], [{ refreshToken: "x".repeat(257) }], [{ refreshToken: 12 }]])("answers 400 to the malformed body %j", async (body) => {
    expect((await send("/v1/auth/refresh", body)).status).toBe(400);
  });

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
