import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createDatabase } from "../../db/client";
import { recordAudit } from "./audit.service";

interface AuditPage {
  data: {
    id: string;
    action: string;
    actorId: string | null;
    requestId: string | null;
    ip: string | null;
    createdAt: string;
  }[];
  nextCursor: string | null;
}

async function seedEntries(actorId: string, count: number, action = "test.action") {
  const db = createDatabase(env.DB);
  for (let i = 0; i < count; i += 1)
    await recordAudit(db, { requestId: `req-${i}`, ip: "192.0.2.1" }, { action, actorId });
}

describe("GET /v1/admin/audit", () => {
  it("pages newest first by cursor, filtered by actor", async () => {
    const admin = await createUser("admin");
    const actor = `usr_${crypto.randomUUID()}`;
    await seedEntries(actor, 5);
    const first = await callJson<AuditPage>(`/v1/admin/audit?actorId=${actor}&limit=3`, { token: admin.token });
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(3);
    expect(first.body.data[0]).toMatchObject({ actorId: actor, ip: "192.0.2.1", action: "test.action" });
    const second = await callJson<AuditPage>(
      `/v1/admin/audit?actorId=${actor}&limit=3&cursor=${first.body.nextCursor}`,
      { token: admin.token },
    );
    expect(second.body.data).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.data, ...second.body.data].map((entry) => entry.id);
    expect(new Set(ids).size).toBe(5);
    const times = [...first.body.data, ...second.body.data].map((entry) => entry.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("filters by action", async () => {
    const admin = await createUser("admin");
    const actor = `usr_${crypto.randomUUID()}`;
    await seedEntries(actor, 2, "test.kept");
    await seedEntries(actor, 1, "test.other");
    const { body } = await callJson<AuditPage>(`/v1/admin/audit?actorId=${actor}&action=test.kept`, {
      token: admin.token,
    });
    expect(body.data.map((entry) => entry.action)).toEqual(["test.kept", "test.kept"]);
  });

  it("records a login with request id and IP", async () => {
    const admin = await createUser("admin");
    const email = `audited-${crypto.randomUUID()}@example.test`;
    await callJson("/v1/auth/register", {
      body: { email, password: "a perfectly long passphrase", name: "A" },
      headers: { "CF-Connecting-IP": "198.51.100.7", "X-Request-Id": "audit-test-request" },
    });
    const { body } = await callJson<AuditPage>("/v1/admin/audit?action=auth.register&limit=100", {
      token: admin.token,
    });
    expect(body.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ requestId: "audit-test-request", ip: "198.51.100.7" })]),
    );
  });

  it("answers 400 to a tampered cursor and to a limit out of range", async () => {
    const admin = await createUser("admin");
    expect((await callJson("/v1/admin/audit?cursor=not-a-cursor", { token: admin.token })).status).toBe(400);
    expect((await callJson("/v1/admin/audit?limit=1000", { token: admin.token })).status).toBe(400);
  });

  it("is for admins only: 403 to staff", async () => {
    const staff = await createUser("staff");
    expect((await callJson("/v1/admin/audit", { token: staff.token })).status).toBe(403);
  });
});
