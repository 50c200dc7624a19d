/**
 * Reconciliation against the test provider's ledger: orphan charges are refunded with the
 * compensation's own request, every mismatch is recorded and audited once, a second run does
 * nothing twice, and the findings are listed to admins over HTTP.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createDatabase } from "../../db/client";
import { auditLog, orders, paymentMismatches, testProviderCharges, testProviderRefunds } from "../../db/schema";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import { insertPaidOrder } from "../orders/orders.fixtures";
import { paymentProviderFor } from "./payments.service";
import { reconcilePayments } from "./reconcile";
import { orphanCharge } from "./reconcile.fixtures";

const db = () => createDatabase(env.DB);
const provider = () => paymentProviderFor(env, configOf(env));

const refundsOf = (paymentId: string) =>
  db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all();
const mismatchesOf = (paymentId: string) =>
  db().select().from(paymentMismatches).where(eq(paymentMismatches.paymentId, paymentId)).all();

describe("payment reconciliation", () => {
  it("refunds an orphan charge in full with the compensation's key, records it resolved and audits it, once", async () => {
    const { paymentId, checkoutId, since } = await orphanCharge("compensated");
    const first = await reconcilePayments(db(), provider(), Date.now(), since);
    expect(first).toMatchObject({ orphansRefunded: 1 });
    expect(await refundsOf(paymentId)).toMatchObject([{ amount: 1_800, idempotencyKey: `${checkoutId}:refund` }]);
    expect(await mismatchesOf(paymentId)).toMatchObject([
      { kind: "orphan_charge", status: "resolved", action: "refunded", checkoutId },
    ]);
    await reconcilePayments(db(), provider(), Date.now(), since);
    expect(await refundsOf(paymentId)).toHaveLength(1);
    expect(await mismatchesOf(paymentId)).toHaveLength(1);
    expect(await db().select().from(auditLog).where(eq(auditLog.subject, paymentId)).all()).toMatchObject([
      { action: "payments.mismatch.orphan_charge", actorId: "system:reconcile" },
    ]);
  });

  it("also refunds a charge whose checkout Motor never recorded", async () => {
    const { paymentId, since } = await orphanCharge(null);
    await reconcilePayments(db(), provider(), Date.now(), since);
    expect(await refundsOf(paymentId)).toHaveLength(1);
  });

  it("leaves a charge alone while its checkout is live: the sweep owns it", async () => {
    const { paymentId, since } = await orphanCharge("charging");
    await reconcilePayments(db(), provider(), Date.now(), since);
    expect(await refundsOf(paymentId)).toEqual([]);
    expect(await mismatchesOf(paymentId)).toEqual([]);
  });

  it("reports a cancelled order whose money is still charged with no refund pending, and resolves it once refunded", async () => {
    const order = await insertPaidOrder({ userId: null, status: "cancelled" });
    const since = Date.now() - 60_000;
    await db()
      .update(testProviderCharges)
      .set({ checkoutId: `fixture:${order.id}` })
      .where(eq(testProviderCharges.id, order.paymentId))
      .run();
    await reconcilePayments(db(), provider(), Date.now(), since);
    expect(await mismatchesOf(order.paymentId)).toMatchObject([
      { kind: "refund_missing", status: "open", orderId: order.id },
    ]);
    await provider().refund({ paymentId: order.paymentId, idempotencyKey: newId("ref") });
    await reconcilePayments(db(), provider(), Date.now(), since);
    expect(await mismatchesOf(order.paymentId)).toMatchObject([{ kind: "refund_missing", status: "resolved" }]);
  });

  it("reports a live order whose charge was refunded outside Motor", async () => {
    const order = await insertPaidOrder({ userId: null });
    await db()
      .update(testProviderCharges)
      .set({ checkoutId: `fixture:${order.id}` })
      .where(eq(testProviderCharges.id, order.paymentId))
      .run();
    await provider().refund({ paymentId: order.paymentId, idempotencyKey: newId("ref") });
    await reconcilePayments(db(), provider(), Date.now(), Date.now() - 60_000);
    expect(await mismatchesOf(order.paymentId)).toMatchObject([{ kind: "refunded_outside_motor", status: "open" }]);
    expect((await db().select().from(orders).where(eq(orders.id, order.id)).get())?.status).toBe("paid");
  });
});

describe("GET /v1/admin/payments/test-ledger and /mismatches", () => {
  it("lists every charge and refund with what it is for, oldest first, in pages", async () => {
    const admin = await createUser("admin");
    const { paymentId, checkoutId, since } = await orphanCharge("compensated");
    await reconcilePayments(db(), provider(), Date.now(), since);
    const seen = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { data: { paymentId: string; kind: string }[]; nextCursor: string | null } } =
        await callJson(`/v1/admin/payments/test-ledger?limit=50${cursor ? `&cursor=${cursor}` : ""}`, {
          token: admin.token,
        });
      expect(page.status).toBe(200);
      seen.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.filter((entry) => entry.paymentId === paymentId)).toEqual([
      expect.objectContaining({
        kind: "charge",
        amount: 1_800,
        currency: "EUR",
        idempotencyKey: checkoutId,
        status: "refunded",
        orderId: expect.stringMatching(/^ord_/),
      }),
      expect.objectContaining({
        kind: "refund",
        amount: 1_800,
        idempotencyKey: `${checkoutId}:refund`,
        status: "succeeded",
      }),
    ]);
  });

  it("answers staff and customers 403, anonymous callers 401, and a tampered cursor 400", async () => {
    for (const role of ["staff", "customer"] as const) {
      const user = await createUser(role);
      expect((await callJson("/v1/admin/payments/test-ledger", { token: user.token })).status).toBe(403);
      expect((await callJson("/v1/admin/payments/mismatches", { token: user.token })).status).toBe(403);
    }
    expect((await callJson("/v1/admin/payments/test-ledger")).status).toBe(401);
    const admin = await createUser("admin");
    expect((await callJson("/v1/admin/payments/test-ledger?cursor=%7Bnot", { token: admin.token })).status).toBe(400);
    expect((await callJson("/v1/admin/payments/mismatches?status=everything", { token: admin.token })).status).toBe(
      400,
    );
  });

  it("lists open mismatches by default", async () => {
    const admin = await createUser("admin");
    const order = await insertPaidOrder({ userId: null, status: "cancelled" });
    await db()
      .update(testProviderCharges)
      .set({ checkoutId: `fixture:${order.id}` })
      .where(eq(testProviderCharges.id, order.paymentId))
      .run();
    await reconcilePayments(db(), provider(), Date.now(), Date.now() - 60_000);
    // every page: earlier test files leave their own open mismatches in the shared database
    type Mismatch = { paymentId: string; status: string };
    const listed: Mismatch[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: { status: number; body: { data: Mismatch[]; nextCursor: string | null } } = await callJson(
        `/v1/admin/payments/mismatches?limit=100${cursor ? `&cursor=${cursor}` : ""}`,
        { token: admin.token },
      );
      expect(page.status).toBe(200);
      listed.push(...page.body.data);
      cursor = page.body.nextCursor;
    }
    expect(listed.every((mismatch) => mismatch.status === "open")).toBe(true);
    expect(listed.map((mismatch) => mismatch.paymentId)).toContain(order.paymentId);
  });
});
