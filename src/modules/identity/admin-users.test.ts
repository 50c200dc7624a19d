import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import type { Session } from "./identity.schemas";
import { registerUser, send } from "./identity.test-helpers";

const changeRole = (token: string, userId: string, role: unknown) => callJson(`/v1/admin/users/${userId}/role`, { method: "PATCH", token, body: { role } });

describe("PATCH /v1/admin/users/{id}/role", () => {
  it("lets an admin promote a user, audits it and revokes the user's sessions", async () => {
    const admin = await createUser("admin");
    const { session } = await registerUser();
    const answer = await changeRole(admin.token, session.user.id, "staff");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: session.user.id, role: "staff" });
    const audit = await env.DB.prepare("SELECT actor_id, details FROM audit_log WHERE action = 'users.role_changed' AND subject = ?").bind(session.user.id).first<{ actor_id: string; details: string }>();
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
