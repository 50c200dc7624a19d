/**
 * Authorise now, capture at shipping (PAYMENT_CAPTURE = manual): the first parcel captures once and
 * never more than was authorised (less what was refunded before); a refund before capture releases,
 * a cancel before capture voids (no refund, no fee); the console's capture answers 409 / 422 where
 * it must; a capture that does not get through is retried by the cron under one key; the expiry
 * policy warns, then cancels and voids. Checked against the test provider's ledger every time.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createDatabase } from "../../db/client";
import {
  inventory,
  orderRefunds,
  orders,
  outboxEvents,
  paymentMismatches,
  testProviderCharges,
  testProviderRefunds,
} from "../../db/schema";
import { configOf } from "../../env";
import { AUTHORIZATION_VALIDITY_MS, type PaymentProvider } from "../payments/payment-provider";
import { PaymentOutcomeUnknownError } from "../payments/payments.errors";
import { SimulatedCrash } from "../../platform/faults";
import { paymentProviderFor } from "../payments/payments.service";
import { TestPaymentProvider } from "../payments/test-provider";
import { fulfillOrder } from "./fulfill-order";
import type { AdminOrderView } from "./order-admin.schemas";
import { ACT_BEFORE_EXPIRY_MS, WARN_BEFORE_EXPIRY_MS } from "./order-payment";
import { EXPIRY_ACTOR, settleDueOrderPayments } from "./order-payments.cron";
import { insertPaidOrder } from "./orders.fixtures";

const db = () => createDatabase(env.DB);
const real = () => paymentProviderFor(env, configOf(env));
const ledgerRow = async (paymentId: string) =>
  db().select().from(testProviderCharges).where(eq(testProviderCharges.id, paymentId)).get();
const providerRefunds = (paymentId: string) =>
  db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all();
const orderRow = async (orderId: string) => db().select().from(orders).where(eq(orders.id, orderId)).get();
const eventsOf = async (type: string, orderId: string) =>
  (await db().select().from(outboxEvents).where(eq(outboxEvents.type, type)).all()).filter(
    (row) => row.data.orderId === orderId,
  );

let staff: TestUser;
let buyer: TestUser;
beforeAll(async () => {
  staff = await createUser("staff");
  buyer = await createUser("customer");
});

const admin = (orderId: string) => callJson<AdminOrderView>(`/v1/admin/orders/${orderId}`, { token: staff.token });
const capture = (orderId: string, body: unknown = {}, token = staff.token) =>
  callJson<AdminOrderView & { detail?: string }>(`/v1/admin/orders/${orderId}/capture`, {
    method: "POST",
    body,
    token,
  });
const fulfill = (orderId: string, body: unknown = { carrier: "DHL", trackingNumber: "JD0001" }) =>
  callJson(`/v1/admin/orders/${orderId}/fulfillments`, { method: "POST", body, token: staff.token });
const refund = (orderId: string, body: unknown) =>
  callJson<{ kind: string; status: string; amount: { amount: number } }>(`/v1/admin/orders/${orderId}/refunds`, {
    method: "POST",
    body,
    token: staff.token,
  });
const manualOrder = (quantity = 2) => insertPaidOrder({ userId: buyer.id, quantity, capture: "manual" });

describe("manual capture: the order holds an authorisation until its first parcel", () => {
  it("starts authorised: the ledger holds the money, nothing is taken, and the console shows when it expires", async () => {
    const order = await manualOrder();
    expect(await ledgerRow(order.paymentId)).toMatchObject({
      status: "authorized",
      captureMethod: "manual",
      amountCaptured: null,
    });
    const [payment] = (await admin(order.id)).body.payments;
    expect(payment).toMatchObject({
      captureMethod: "manual",
      status: "authorized",
      authorized: { amount: order.total },
      captured: { amount: 0 },
      voided: { amount: 0 },
    });
    expect(Date.parse(payment?.authorizationExpiresAt ?? "")).toBeGreaterThan(Date.now() + 6 * 24 * 60 * 60 * 1000);
  });

  it("the test ledger names what the provider did: an authorization, then its capture or void", async () => {
    const shipped = await manualOrder(1);
    const cancelled = await manualOrder(1);
    expect((await fulfill(shipped.id)).status).toBe(201);
    expect((await callJson(`/v1/orders/${cancelled.id}/cancel`, { method: "POST", token: buyer.token })).status).toBe(
      200,
    );
    const token = (await createUser("admin")).token;
    const entries: { kind: string; paymentId: string; amount: number; status: string }[] = [];
    for (let cursor: string | null = ""; cursor !== null;) {
      const page: { status: number; body: { data: typeof entries; nextCursor: string | null } } = await callJson(
        `/v1/admin/payments/test-ledger?limit=100${cursor ? `&cursor=${cursor}` : ""}`,
        { token },
      );
      expect(page.status).toBe(200);
      entries.push(...page.body.data);
      cursor = page.body.nextCursor;
    }
    const of = (paymentId: string) =>
      entries.filter((entry) => entry.paymentId === paymentId).map(({ kind, amount }) => ({ kind, amount }));
    expect(of(shipped.paymentId)).toEqual([
      { kind: "authorization", amount: 1500 },
      { kind: "capture", amount: 1500 },
    ]);
    expect(of(cancelled.paymentId)).toEqual([
      { kind: "authorization", amount: 1500 },
      { kind: "void", amount: 1500 },
    ]);
  });

  it("the first parcel captures the whole authorisation once; the second parcel captures nothing more", async () => {
    const order = await manualOrder(2);
    expect(
      (await fulfill(order.id, { carrier: "DHL", trackingNumber: "JD0001", lines: [{ sku: order.sku, quantity: 1 }] }))
        .status,
    ).toBe(201);
    expect(await ledgerRow(order.paymentId)).toMatchObject({
      status: "succeeded",
      amountCaptured: order.total,
      captureKey: `${order.id}:capture`,
    });
    expect(await orderRow(order.id)).toMatchObject({
      paymentStatus: "captured",
      amountCaptured: order.total,
      paymentNextAttemptAt: null,
    });
    expect(await eventsOf("order.payment_captured", order.id)).toHaveLength(1);
    expect((await fulfill(order.id, { carrier: "DHL", trackingNumber: "JD0002" })).status).toBe(201);
    expect(await eventsOf("order.payment_captured", order.id)).toHaveLength(1);
    expect((await admin(order.id)).body.payments[0]).toMatchObject({
      status: "captured",
      captured: { amount: order.total },
      authorizationExpiresAt: null,
    });
  });

  it("releases a unit refunded before capture (the capture takes less); a refund after it goes to the provider, within it", async () => {
    const order = await manualOrder(2);
    const released = await refund(order.id, {
      lines: [{ sku: order.sku, quantity: 1 }],
      reason: "out of stock",
      restock: true,
    });
    expect(released.status).toBe(201);
    expect(released.body).toMatchObject({ kind: "release", status: "succeeded", amount: { amount: 1500 } });
    expect(await providerRefunds(order.paymentId)).toEqual([]);
    expect((await fulfill(order.id)).status).toBe(201);
    expect(await ledgerRow(order.paymentId)).toMatchObject({ status: "succeeded", amountCaptured: order.total - 1500 });
    expect((await admin(order.id)).body.payments[0]).toMatchObject({
      authorized: { amount: 3000 },
      captured: { amount: 1500 },
      voided: { amount: 1500 },
      refunded: { amount: 0 },
    });
    // after capture: a real refund, and never more than was taken
    expect((await refund(order.id, { amount: 1501, reason: "too much", restock: false })).status).toBe(422);
    const back = await refund(order.id, { amount: 1500, reason: "goodwill", restock: false });
    expect(back.body).toMatchObject({ kind: "refund", status: "succeeded" });
    expect((await providerRefunds(order.paymentId)).map((row) => row.amount)).toEqual([1500]);
  });

  it("a cancel before capture voids the authorisation: no refund row, no provider refund, stock back", async () => {
    const order = await manualOrder(2);
    const cancelled = await callJson(`/v1/orders/${order.id}/cancel`, { method: "POST", token: buyer.token });
    expect(cancelled.status).toBe(200);
    expect(await ledgerRow(order.paymentId)).toMatchObject({ status: "voided" });
    expect(await providerRefunds(order.paymentId)).toEqual([]);
    expect(await db().select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id)).all()).toEqual([]);
    expect(await orderRow(order.id)).toMatchObject({ status: "cancelled", paymentStatus: "voided" });
    expect((await db().select().from(inventory).where(eq(inventory.sku, order.sku)).get())?.onHand).toBe(5 + 2);
    expect((await admin(order.id)).body.payments[0]).toMatchObject({
      status: "voided",
      captured: { amount: 0 },
      voided: { amount: order.total },
    });
    expect(await eventsOf("order.payment_voided", order.id)).toHaveLength(1);
  });

  it("refunding everything before capture voids the authorisation", async () => {
    const order = await manualOrder(1);
    expect((await refund(order.id, { reason: "changed mind", restock: true })).body).toMatchObject({ kind: "release" });
    expect(await orderRow(order.id)).toMatchObject({ status: "refunded", paymentStatus: "voided" });
    expect(await ledgerRow(order.paymentId)).toMatchObject({ status: "voided" });
  });
});

describe("moves that say the goods left", () => {
  it("staff marking the order shipped (no parcel) capture it, as a first parcel would", async () => {
    const order = await manualOrder(2);
    const moved = await callJson(`/v1/admin/orders/${order.id}/transition`, {
      method: "POST",
      body: { to: "shipped", reason: "handed over at the counter" },
      token: staff.token,
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(await orderRow(order.id)).toMatchObject({
      status: "shipped",
      paymentStatus: "captured",
      amountCaptured: order.total,
    });
    expect(await ledgerRow(order.paymentId)).toMatchObject({ status: "succeeded", amountCaptured: order.total });
  });

  it("the expiry policy captures an order that left without a capture (a row from before), and cancels nothing it shipped", async () => {
    const order = await manualOrder(1);
    await db().update(orders).set({ status: "shipped" }).where(eq(orders.id, order.id)).run();
    const expiresAt = (await orderRow(order.id))?.authorizationExpiresAt ?? 0;
    await settleDueOrderPayments({ db: db(), env, payments: real() }, expiresAt - ACT_BEFORE_EXPIRY_MS);
    expect(await orderRow(order.id)).toMatchObject({
      status: "shipped",
      paymentStatus: "captured",
      amountCaptured: order.total,
    });
  });

  it("a void the cron could not get through is retried after a delay, then lands", async () => {
    const order = await manualOrder(1);
    const expiresAt = (await orderRow(order.id))?.authorizationExpiresAt ?? 0;
    const failing: PaymentProvider = {
      ...real(),
      name: "test",
      voidAuthorization: () => Promise.reject(new Error("boom")),
    };
    // the cancel commits and its void is left for the cron: a throwing dependency never makes a hot loop
    await settleDueOrderPayments({ db: db(), env, payments: failing }, expiresAt - ACT_BEFORE_EXPIRY_MS);
    const row = await orderRow(order.id);
    expect(row).toMatchObject({ status: "cancelled", paymentStatus: "voiding" });
    expect(row?.paymentAttempts).toBe(1);
    expect(row?.paymentNextAttemptAt).toBeGreaterThan(Date.now());
    await settleDueOrderPayments(
      { db: db(), env, payments: real() },
      Math.max(row?.paymentNextAttemptAt ?? 0, expiresAt) + 1,
    );
    expect(await orderRow(order.id)).toMatchObject({ paymentStatus: "voided" });
  });
});

describe("the cron's own failures", () => {
  it("an order whose settling throws is deferred an hour with the error, and the other due orders are still served", async () => {
    const broken = await manualOrder(1);
    const fine = await manualOrder(1);
    const expiresAt = (await orderRow(fine.id))?.authorizationExpiresAt ?? 0;
    const warnAt = expiresAt - WARN_BEFORE_EXPIRY_MS;
    // the broken order is due a minute earlier (oldest first) and its capture crashes the step
    await db()
      .update(orders)
      .set({ paymentStatus: "capturing", amountCaptured: broken.total, paymentNextAttemptAt: warnAt - 60_000 })
      .where(eq(orders.id, broken.id))
      .run();
    const crashing: PaymentProvider = {
      ...real(),
      name: "test",
      capture: () => Promise.reject(new SimulatedCrash("after_charge")),
    };
    await settleDueOrderPayments({ db: db(), env, payments: crashing }, warnAt);
    const deferred = await orderRow(broken.id);
    expect(deferred?.paymentNextAttemptAt).toBe(warnAt + 60 * 60 * 1000);
    expect(deferred?.paymentLastError).toContain("simulated crash");
    expect(await eventsOf("order.authorization_expiring", fine.id)).toHaveLength(1);
  });
});

describe("POST /v1/admin/orders/{id}/capture", () => {
  it("captures less than authorised: the difference is released, and asking again captures nothing more", async () => {
    const order = await manualOrder(2);
    const first = await capture(order.id, { amount: 2000 });
    expect(first.status).toBe(200);
    expect(first.body.payments[0]).toMatchObject({
      status: "captured",
      captured: { amount: 2000 },
      voided: { amount: 1000 },
    });
    expect(first.body.refunds).toMatchObject([{ kind: "release", amount: { amount: 1000 } }]);
    expect(await ledgerRow(order.paymentId)).toMatchObject({ status: "succeeded", amountCaptured: 2000 });
    const again = await capture(order.id, {});
    expect(again.status).toBe(200);
    expect(again.body.payments[0]).toMatchObject({ captured: { amount: 2000 } });
    // a stale tab asking another amount is told what was taken
    const stale = await capture(order.id, { amount: 3000 });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toContain("20.00 EUR");
    expect(await eventsOf("order.payment_captured", order.id)).toHaveLength(1);
  });

  it("refuses, changing nothing: 409 automatic or cancelled, 422 above what may be taken, 400, 403 buyer, 401 no token", async () => {
    const automatic = await insertPaidOrder({ userId: null });
    expect((await capture(automatic.id)).status).toBe(409);
    const order = await manualOrder(2);
    const above = await capture(order.id, { amount: order.total + 1 });
    expect(above.status).toBe(422);
    expect(above.body.detail).toContain("At most 30.00 EUR");
    for (const amount of [0, -5, 12.5, "100", null]) expect((await capture(order.id, { amount })).status).toBe(400);
    expect((await capture(order.id, { amount: 100, extra: true })).status).toBe(400);
    expect((await capture(order.id, {}, buyer.token)).status).toBe(403);
    expect((await callJson(`/v1/admin/orders/${order.id}/capture`, { method: "POST", body: {} })).status).toBe(401);
    expect((await capture("ord_0123456789ABCDEFGHIJKL")).status).toBe(404);
    expect((await capture("ord_../../etc")).status).toBe(400);
    expect(await ledgerRow(order.paymentId)).toMatchObject({ status: "authorized" });
    expect((await callJson(`/v1/orders/${order.id}/cancel`, { method: "POST", token: buyer.token })).status).toBe(200);
    expect((await capture(order.id)).status).toBe(409);
    expect(await ledgerRow(order.paymentId)).toMatchObject({ status: "voided" });
  });
});

describe("a capture that does not get through", () => {
  it("stays decided (capturing), refuses refunds meanwhile, and the cron captures it once under the same key", async () => {
    const order = await manualOrder(2);
    let attempts = 0;
    const down: PaymentProvider = {
      ...real(),
      name: "test",
      capture: () => (attempts++, Promise.reject(new PaymentOutcomeUnknownError("timeout", "the provider timed out"))),
    };
    await fulfillOrder(
      { db: db(), env, payments: down },
      {
        orderId: order.id,
        actor: { userId: staff.id, origin: { requestId: "test", ip: null } },
        carrier: "DHL",
        trackingNumber: "JD0003",
      },
    );
    expect(attempts).toBe(1);
    const waiting = await orderRow(order.id);
    expect(waiting).toMatchObject({ paymentStatus: "capturing", amountCaptured: order.total, paymentAttempts: 1 });
    expect(waiting?.paymentLastError).toContain("timed out");
    expect(await ledgerRow(order.paymentId)).toMatchObject({ status: "authorized" });
    const meanwhile = await refund(order.id, { amount: 100, reason: "goodwill", restock: false });
    expect(meanwhile.status).toBe(409);
    const later = (waiting?.paymentNextAttemptAt ?? 0) + 1;
    await settleDueOrderPayments({ db: db(), env, payments: real() }, later);
    await settleDueOrderPayments({ db: db(), env, payments: real() }, later + 60 * 60 * 1000);
    expect(await ledgerRow(order.paymentId)).toMatchObject({ status: "succeeded", amountCaptured: order.total });
    expect(await orderRow(order.id)).toMatchObject({ paymentStatus: "captured", paymentLastError: null });
    expect(await eventsOf("order.payment_captured", order.id)).toHaveLength(1);
  });

  it("refused for good (the authorisation expired at the bank): flagged for a person, never retried", async () => {
    const order = await manualOrder(1);
    const bankLater = new TestPaymentProvider(db(), undefined, () => Date.now() + AUTHORIZATION_VALIDITY_MS + 1);
    await fulfillOrder(
      { db: db(), env, payments: bankLater },
      {
        orderId: order.id,
        actor: { userId: staff.id, origin: { requestId: "test", ip: null } },
        carrier: "DHL",
        trackingNumber: "JD0004",
      },
    );
    const row = await orderRow(order.id);
    expect(row).toMatchObject({ paymentStatus: "capturing", paymentNextAttemptAt: null });
    expect(row?.paymentLastError).toMatch(/cannot be captured/);
    expect(await ledgerRow(order.paymentId)).toMatchObject({ status: "voided" });
    expect(
      await db().select().from(paymentMismatches).where(eq(paymentMismatches.orderId, order.id)).all(),
    ).toMatchObject([{ kind: "capture_failed", status: "open" }]);
  });
});

describe("the expiry policy", () => {
  it("warns the merchant once two days before, then cancels the unshipped order and voids its authorisation a day before", async () => {
    const order = await manualOrder(2);
    const expiresAt = (await orderRow(order.id))?.authorizationExpiresAt ?? 0;
    const deps = { db: db(), env, payments: real() };
    await settleDueOrderPayments(deps, expiresAt - WARN_BEFORE_EXPIRY_MS - 1);
    expect(await eventsOf("order.authorization_expiring", order.id)).toHaveLength(0);
    await settleDueOrderPayments(deps, expiresAt - WARN_BEFORE_EXPIRY_MS);
    await settleDueOrderPayments(deps, expiresAt - WARN_BEFORE_EXPIRY_MS + 60_000);
    expect(await eventsOf("order.authorization_expiring", order.id)).toHaveLength(1);
    expect(await orderRow(order.id)).toMatchObject({ status: "paid", paymentStatus: "authorized" });
    await settleDueOrderPayments(deps, expiresAt - ACT_BEFORE_EXPIRY_MS);
    expect(await orderRow(order.id)).toMatchObject({ status: "cancelled", paymentStatus: "voided" });
    expect(await ledgerRow(order.paymentId)).toMatchObject({ status: "voided" });
    const cancelled = (await admin(order.id)).body.timeline.at(-1);
    expect(cancelled).toMatchObject({ to: "cancelled", actor: EXPIRY_ACTOR });
  });

  it("leaves a shipped (captured) order alone", async () => {
    const order = await manualOrder(1);
    expect((await fulfill(order.id)).status).toBe(201);
    const expiresAt = (await orderRow(order.id))?.authorizationExpiresAt ?? 0;
    await settleDueOrderPayments({ db: db(), env, payments: real() }, expiresAt);
    expect(await orderRow(order.id)).toMatchObject({ status: "shipped", paymentStatus: "captured" });
    expect(await eventsOf("order.authorization_expiring", order.id)).toHaveLength(0);
  });
});
