/**
 * Reconciliation's cron never fires under `npm start`, so admins
 * can run it now: POST /v1/admin/payments/reconcile runs the cron's job and answers what it did.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createDatabase } from "../../db/client";
import { auditLog, paymentMismatches, testProviderCharges, testProviderRefunds } from "../../db/schema";
import { insertPaidOrder } from "../orders/orders.fixtures";
import { orphanCharge } from "./reconcile.fixtures";

const db = () => createDatabase(env.DB);
interface Run {
  checked: number;
  refunded: number;
  mismatches: number;
  newMismatches: number;
  from: string;
  ranAt: string;
}
const reconcile = (token?: string) => callJson<Run>("/v1/admin/payments/reconcile", { method: "POST", token });

describe("POST /v1/admin/payments/reconcile", () => {
  it("runs reconciliation now: refunds an orphan charge, records a mismatch, answers the counts and audits the run", async () => {
    const admin = await createUser("admin");
    const { paymentId, checkoutId } = await orphanCharge("compensated");
    const cancelled = await insertPaidOrder({ userId: null, status: "cancelled" });
    await db()
      .update(testProviderCharges)
      .set({ checkoutId: `fixture:${cancelled.id}` })
      .where(eq(testProviderCharges.id, cancelled.paymentId))
      .run();

    const { status, body } = await reconcile(admin.token);
    expect(status).toBe(200);
    expect(body.checked).toBeGreaterThanOrEqual(2);
    expect(body.refunded).toBeGreaterThanOrEqual(1);
    expect(body.mismatches).toBeGreaterThanOrEqual(2);
    expect(body.newMismatches).toBeGreaterThanOrEqual(2);
    expect(Date.parse(body.ranAt) - Date.parse(body.from)).toBe(48 * 60 * 60 * 1000);
    expect(
      await db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all(),
    ).toMatchObject([{ amount: 1_800, idempotencyKey: `${checkoutId}:refund` }]);
    expect(
      await db().select().from(paymentMismatches).where(eq(paymentMismatches.paymentId, cancelled.paymentId)).all(),
    ).toMatchObject([{ kind: "refund_missing", status: "open" }]);
    const audited = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "payments.reconcile"), eq(auditLog.actorId, admin.id)))
      .all();
    expect(audited).toHaveLength(1);
    expect(audited[0]?.details).toMatchObject({
      checked: body.checked,
      refunded: body.refunded,
      mismatches: body.mismatches,
    });

    // a second run refunds nothing twice and records nothing new
    const again = await reconcile(admin.token);
    expect(again.body).toMatchObject({ refunded: 0, newMismatches: 0 });
    expect(
      await db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all(),
    ).toHaveLength(1);
  });

  it("answers 401 without a token and 403 to staff and customers, refunding nothing", async () => {
    const { paymentId } = await orphanCharge("compensated");
    expect((await reconcile()).status).toBe(401);
    for (const role of ["staff", "customer"] as const)
      expect((await reconcile((await createUser(role)).token)).status).toBe(403);
    expect(
      await db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all(),
    ).toEqual([]);
  });

  it("is in /openapi.json with its permission", async () => {
    const { body } = await callJson<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(
      "/openapi.json",
    );
    expect(body.paths["/v1/admin/payments/reconcile"]?.post).toMatchObject({
      "x-permission": "payments:reconcile",
      responses: { 200: expect.anything(), 401: expect.anything(), 403: expect.anything() },
    });
  });
});
