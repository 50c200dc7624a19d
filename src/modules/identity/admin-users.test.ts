import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { insertPaidOrder } from "../orders/orders.fixtures";
import { resetTokenFor } from "./derived-secrets";
import type { Session } from "./identity.schemas";
import { PASSWORD, registerUser, send } from "./identity.fixtures";

/** Signs in with the registration password of identity.fixtures.ts. */
async function signInAgain(email: string): Promise<Session> {
  const answer = await send<Session>("/v1/auth/login", { email, password: PASSWORD });
  expect(answer.status).toBe(200);
  return answer.body;
}

const changeRole = (token: string, userId: string, role: unknown) =>
  callJson(`/v1/admin/users/${userId}/role`, { method: "PATCH", token, body: { role } });

describe("PATCH /v1/admin/users/{id}/role", () => {
  it("lets an admin promote a user, audits it and revokes the user's sessions", async () => {
    const admin = await createUser("admin");
    const { session } = await registerUser();
    const answer = await changeRole(admin.token, session.user.id, "staff");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: session.user.id, role: "staff" });
    const audit = await env.DB.prepare(
      "SELECT actor_id, details FROM audit_log WHERE action = 'users.role_changed' AND subject = ?",
    )
      .bind(session.user.id)
      .first<{ actor_id: string; details: string }>();
    expect(audit?.actor_id).toBe(admin.id);
    expect(JSON.parse(audit!.details)).toEqual({ from: "customer", to: "staff" });
    expect((await send<Session>("/v1/auth/refresh", { refreshToken: session.refreshToken })).status).toBe(401);
  });

  it("a demoted user's next sign-in carries the new role", async () => {
    const admin = await createUser("admin");
    const { email, password, session } = await registerUser();
    await changeRole(admin.token, session.user.id, "staff");
    await changeRole(admin.token, session.user.id, "customer");
    const login = await send<Session>("/v1/auth/login", { email, password });
    expect(login.body.user.role).toBe("customer");
  });

  it("a demoted admin's still-valid token can no longer promote anyone (the role change bites at once)", async () => {
    const [chief, { session: demoted }, { session: accomplice }] = await Promise.all([
      createUser("admin"),
      registerUser(),
      registerUser(),
    ]);
    await changeRole(chief.token, demoted.user.id, "admin");
    const adminSession = await signInAgain(demoted.user.email);
    expect(adminSession.user.role).toBe("admin");
    await changeRole(chief.token, demoted.user.id, "customer");
    // the admin token is still 10 minutes from expiry, yet worthless on admin routes
    const attempt = await changeRole(adminSession.accessToken, accomplice.user.id, "admin");
    expect(attempt.status).toBe(401);
    expect((await callJson<{ role: string }>(`/v1/me`, { token: accomplice.accessToken })).body.role).toBe("customer");
  });

  it("a password reset makes the admin's earlier access tokens worthless on admin routes at once", async () => {
    const { email, session } = await registerUser();
    await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(session.user.id).run();
    const admin = await signInAgain(email);
    expect((await callJson("/v1/admin/audit", { token: admin.accessToken })).status).toBe(200);
    expect((await send("/v1/auth/password/forgot", { email })).status).toBe(202);
    const event = await env.DB.prepare(
      "SELECT json_extract(data, '$.resetTokenId') AS id FROM outbox_events WHERE type = " +
        "'user.password_reset_requested' AND json_extract(data, '$.email') = ?",
    )
      .bind(email)
      .first<{ id: string }>();
    expect(
      (
        await send("/v1/auth/password/reset", {
          token: await resetTokenFor(env, event!.id),
          password: "a brand new passphrase",
        })
      ).status,
    ).toBe(204);
    const answer = await callJson("/v1/admin/audit", { token: admin.accessToken });
    expect(answer.status).toBe(401);
    expect(answer.response.headers.get("WWW-Authenticate")).toContain("invalid_token");
  });

  it("a demoted staff member's token stops reading and cancelling other customers' orders at once", async () => {
    const admin = await createUser("admin");
    const { email, session } = await registerUser();
    await changeRole(admin.token, session.user.id, "staff");
    const staff = await signInAgain(email);
    const order = await insertPaidOrder({ userId: (await createUser("customer")).id });
    expect((await callJson(`/v1/orders/${order.id}`, { token: staff.accessToken })).status).toBe(200);
    await changeRole(admin.token, session.user.id, "customer");
    expect((await callJson(`/v1/orders/${order.id}`, { token: staff.accessToken })).status).toBe(401);
    expect((await callJson(`/v1/orders/${order.id}/cancel`, { method: "POST", token: staff.accessToken })).status).toBe(
      401,
    );
  });

  it("decides admin routes on the role stored now, not the role inside the token", async () => {
    const admin = await createUser("admin");
    // demoted behind the API's back (e.g. by SQL), version unchanged: the stored role still rules
    await env.DB.prepare("UPDATE users SET role = 'customer' WHERE id = ?").bind(admin.id).run();
    expect((await callJson("/v1/admin/audit", { token: admin.token })).status).toBe(403);
  });

  it("refuses an admin changing their own role (422)", async () => {
    const admin = await createUser("admin");
    expect((await changeRole(admin.token, admin.id, "customer")).status).toBe(422);
  });

  it("answers 404 for an unknown user and 400 for an unknown role", async () => {
    const admin = await createUser("admin");
    const { session } = await registerUser();
    expect((await changeRole(admin.token, "usr_nobody", "staff")).status).toBe(404);
    expect((await changeRole(admin.token, session.user.id, "superuser")).status).toBe(400);
  });

  it("answers 403 to staff (users:manage is admin-only)", async () => {
    const staff = await createUser("staff");
    const { session } = await registerUser();
    expect((await changeRole(staff.token, session.user.id, "admin")).status).toBe(403);
  });
});
