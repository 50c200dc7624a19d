/**
 * Staff refunds over HTTP on orders made by a real checkout (discount, exclusive US tax, shipping):
 * line shares to the cent, never beyond what was captured (also under concurrency), restock,
 * Idempotency-Key, pending-first with a failing provider, the move to refunded, and bad input.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDiscountCode, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createDatabase } from "../../db/client";
import { auditLog, inventory, orderRefunds, outboxEvents, testProviderRefunds } from "../../db/schema";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import type { CartView } from "../cart/cart.schemas";
import { buyerIp, postCheckout } from "../checkout/checkout.fixtures";
import { paymentProviderFor } from "../payments/payments.service";
import type { AdminOrderView, RefundView } from "./order-admin.schemas";
import { retryPendingRefunds } from "./order-refunds.cron";
import { insertPaidOrder } from "./orders.fixtures";
import type { OrderView } from "./orders.schemas";

const db = () => createDatabase(env.DB);
const US_ADDRESS = { country: "US", region: "CA", postalCode: "94103", city: "San Francisco", line1: "1 Market St" };
const providerRefundsOf = (paymentId: string) =>
  db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all();
const onHandOf = async (sku: string) =>
  (await db().select().from(inventory).where(eq(inventory.sku, sku)).get())?.onHand;

let staff: TestUser;
beforeAll(async () => {
  await ensurePricingRules();
  staff = await createUser("staff");
});

/** A real order: cart over HTTP with a 10 % code, a Californian address (7.25 % on top), then checkout. */
async function checkedOutOrder(items: { sku: string; quantity: number }[], paymentMethod = "pm_card_visa") {
  const headers = { "CF-Connecting-IP": buyerIp() };
  const cart = await callJson<CartView>("/v1/carts", { method: "POST", body: { country: "US" }, headers });
  for (const item of items)
    expect((await callJson(`/v1/carts/${cart.body.id}/items`, { method: "POST", body: item, headers })).status).toBe(
      200,
    );
  const code = await createDiscountCode();
  expect(
    (await callJson(`/v1/carts/${cart.body.id}/discount`, { method: "POST", body: { code }, headers })).status,
  ).toBe(200);
  const priced = await callJson<CartView>(`/v1/carts/${cart.body.id}`, {
    method: "PATCH",
    body: { email: "refunds@example.test", shippingAddress: US_ADDRESS },
    headers,
  });
  expect(priced.status).toBe(200);
  const order = await postCheckout(cart.body.id, { paymentMethod });
  expect(order.status).toBe(201);
  return { order: order.body as OrderView, cart: priced.body };
}

const refund = (orderId: string, body: unknown, options: { key?: string; token?: string } = {}) =>
  callJson<RefundView & { detail?: string; refundable?: number }>(`/v1/admin/orders/${orderId}/refunds`, {
    method: "POST",
    body,
    token: options.token ?? staff.token,
    headers: options.key ? { "Idempotency-Key": options.key } : {},
  });
const detail = (orderId: string) => callJson<AdminOrderView>(`/v1/admin/orders/${orderId}`, { token: staff.token });

describe("a line refund", () => {
  it("gives back each line's share of what was paid, tax and discount included, to the cent; the rest is the shipping", async () => {
    const skus = await Promise.all([
      createSellableSku({ usd: 999 }),
      createSellableSku({ usd: 1999 }),
      createSellableSku({ usd: 333 }),
    ]);
    const { order, cart } = await checkedOutOrder([
      { sku: skus[0] as string, quantity: 3 },
      { sku: skus[1] as string, quantity: 1 },
      { sku: skus[2] as string, quantity: 2 },
    ]);
    expect(cart.tax.amount).toBeGreaterThan(0);
    expect(cart.discount.amount).toBeGreaterThan(0);
    for (const line of cart.lines) {
      const { status, body } = await refund(order.id, {
        lines: [{ sku: line.sku, quantity: line.quantity }],
        reason: "damaged",
        restock: false,
      });
      expect(status).toBe(201);
      expect(body.amount).toEqual({
        amount: line.total.amount - line.discount.amount + line.tax.amount,
        currency: "USD",
      });
    }
    const afterLines = await detail(order.id);
    expect(afterLines.body.status).toBe("paid"); // partial refunds leave the status alone
    const left = order.total.amount - afterLines.body.refunds.reduce((sum, row) => sum + row.amount.amount, 0);
    expect(left).toBe(cart.shipping.amount);
    const rest = await refund(order.id, { reason: "shipping too", restock: false });
    expect(rest.body.amount.amount).toBe(cart.shipping.amount);
    const final = await detail(order.id);
    expect(final.body.status).toBe("refunded");
    expect(final.body.payments).toEqual([
      expect.objectContaining({
        captured: order.total,
        refunded: order.total,
        refundPending: { amount: 0, currency: "USD" },
      }),
    ]);
    const atProvider = await providerRefundsOf(order.paymentId as string);
    expect(atProvider.reduce((sum, row) => sum + row.amount, 0)).toBe(order.total.amount);
  });

  it("with restock puts the units back on hand; without, it does not", async () => {
    const sku = await createSellableSku({ usd: 1500, onHand: 10 });
    const { order } = await checkedOutOrder([{ sku, quantity: 3 }]);
    expect(await onHandOf(sku)).toBe(7);
    expect((await refund(order.id, { lines: [{ sku, quantity: 2 }], reason: "returned", restock: true })).status).toBe(
      201,
    );
    expect(await onHandOf(sku)).toBe(9);
    expect(
      (await refund(order.id, { lines: [{ sku, quantity: 1 }], reason: "lost in transit", restock: false })).status,
    ).toBe(201);
    expect(await onHandOf(sku)).toBe(9);
  });

  it("is recorded with an audit row and a refund email event naming the amount and the lines", async () => {
    const sku = await createSellableSku({ usd: 1500 });
    const { order } = await checkedOutOrder([{ sku, quantity: 2 }]);
    const { body } = await refund(order.id, { lines: [{ sku, quantity: 1 }], reason: "scratched", restock: false });
    const events = (await db().select().from(outboxEvents).all()).filter(
      (row) => row.type === "order.refund_issued" && row.data.orderId === order.id,
    );
    expect(events.map((row) => row.data)).toEqual([
      expect.objectContaining({
        amount: body.amount.amount,
        currency: "USD",
        reason: "scratched",
        lines: [{ sku, quantity: 1, title: `Variant ${sku}` }],
      }),
    ]);
    const audit = await db().select().from(auditLog).where(eq(auditLog.subject, order.id)).all();
    expect(audit).toEqual([expect.objectContaining({ action: "order.refund", actorId: staff.id })]);
  });
});

describe("never more than was captured", () => {
  it("refuses an amount beyond what is left with a 422 that says how much is left", async () => {
    const order = await insertPaidOrder({ userId: null });
    const { status, body } = await refund(order.id, { amount: order.total + 1, reason: "too much", restock: false });
    expect(status).toBe(422);
    expect(body.refundable).toBe(order.total);
    expect(await providerRefundsOf(order.paymentId)).toEqual([]);
  });

  it("refuses a SKU that is not in the order with a 422 naming it", async () => {
    const order = await insertPaidOrder({ userId: null });
    const { status, body } = await refund(order.id, {
      lines: [{ sku: "NOT-IN-ORDER", quantity: 1 }],
      reason: "x",
      restock: false,
    });
    expect(status).toBe(422);
    expect(body.detail).toContain("NOT-IN-ORDER");
  });

  it("concurrent full refunds return the money once: one 201, the others 409 or 422", async () => {
    const order = await insertPaidOrder({ userId: null });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => refund(order.id, { reason: "race", restock: false })),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.every((answer) => [201, 409, 422].includes(answer.status))).toBe(true);
    expect(await providerRefundsOf(order.paymentId)).toMatchObject([{ amount: order.total }]);
  });

  it("concurrent partial refunds never add up past the capture", async () => {
    const order = await insertPaidOrder({ userId: null }); // 3000 captured
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => refund(order.id, { amount: 700, reason: "race", restock: false })),
    );
    expect(
      answers.every((answer) => [201, 409, 422].includes(answer.status)),
      answers.map((answer) => answer.status).join(),
    ).toBe(true);
    expect(answers.some((answer) => answer.status === 201)).toBe(true);
    const refunded = (await providerRefundsOf(order.paymentId)).reduce((sum, row) => sum + row.amount, 0);
    expect(refunded).toBe(700 * answers.filter((answer) => answer.status === 201).length);
    expect(refunded).toBeLessThanOrEqual(order.total);
  });
});

describe("a refund's Idempotency-Key", () => {
  it("the same key and body refunds once and replays the first answer", async () => {
    const order = await insertPaidOrder({ userId: null });
    const key = newId("idem");
    const first = await refund(order.id, { amount: 500, reason: "goodwill", restock: false }, { key });
    const again = await refund(order.id, { amount: 500, reason: "goodwill", restock: false }, { key });
    expect(first.status).toBe(201);
    expect(again.response.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    expect(await providerRefundsOf(order.paymentId)).toHaveLength(1);
  });

  it("a retry whose first answer was lost (claim expired) finds the refund it made instead of refunding again", async () => {
    const order = await insertPaidOrder({ userId: null });
    const key = newId("idem");
    const first = await refund(order.id, { amount: 400, reason: "goodwill", restock: false }, { key });
    // the first attempt's answer never got stored: forget the claim, as after a crash past its lease
    await env.DB.prepare("delete from idempotency_keys where key = ?").bind(key).run();
    const retry = await refund(order.id, { amount: 400, reason: "goodwill", restock: false }, { key });
    expect(retry.body.id).toBe(first.body.id);
    expect(await db().select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id)).all()).toHaveLength(1);
    expect(await providerRefundsOf(order.paymentId)).toHaveLength(1);
  });
});

describe("pending first (I4)", () => {
  it("a provider that fails leaves the refund pending (201), and the minute cron sends it once", async () => {
    const sku = await createSellableSku({ usd: 2500 });
    const { order } = await checkedOutOrder([{ sku, quantity: 1 }], "pm_card_refundFails");
    const { status, body } = await refund(order.id, { amount: 1000, reason: "late", restock: false });
    expect(status).toBe(201);
    expect(body.status).toBe("pending");
    expect((await detail(order.id)).body.payments[0]?.refundPending.amount).toBe(1000);
    const provider = paymentProviderFor(env, configOf(env));
    const later = Date.now() + 24 * 60 * 60 * 1000;
    await retryPendingRefunds(db(), provider, later); // second failure of pm_card_refundFails
    await retryPendingRefunds(db(), provider, later * 2);
    await retryPendingRefunds(db(), provider, later * 3);
    expect(await db().select().from(orderRefunds).where(eq(orderRefunds.id, body.id)).get()).toMatchObject({
      status: "succeeded",
    });
    expect(await providerRefundsOf(order.paymentId as string)).toMatchObject([{ amount: 1000 }]);
  });

  it("a cancel after a partial refund returns only what is left and restocks only what was not restocked", async () => {
    const order = await insertPaidOrder({ userId: null, quantity: 2, onHand: 5 });
    await refund(order.id, { lines: [{ sku: order.sku, quantity: 1 }], reason: "one broke", restock: true });
    expect(await onHandOf(order.sku)).toBe(6);
    const cancelled = await callJson(`/v1/admin/orders/${order.id}/transition`, {
      method: "POST",
      token: staff.token,
      body: { to: "cancelled" },
    });
    expect(cancelled.status).toBe(200);
    expect(await onHandOf(order.sku)).toBe(7);
    const refunds = await providerRefundsOf(order.paymentId);
    expect(refunds.reduce((sum, row) => sum + row.amount, 0)).toBe(order.total);
  });
});

describe("refunds refused: bad state, bad input, wrong role", () => {
  it("a cancelled order cannot be refunded again (409)", async () => {
    const order = await insertPaidOrder({ userId: null, status: "cancelled" });
    expect((await refund(order.id, { reason: "x", restock: false })).status).toBe(409);
  });

  it("restock without lines, an empty reason, a zero amount, a repeated SKU and unknown fields are 400", async () => {
    const order = await insertPaidOrder({ userId: null });
    for (const body of [
      { amount: 100, reason: "x", restock: true },
      { amount: 100, reason: "", restock: false },
      { amount: 0, reason: "x", restock: false },
      { amount: 1.5, reason: "x", restock: false },
      {
        lines: [
          { sku: order.sku, quantity: 1 },
          { sku: order.sku, quantity: 1 },
        ],
        reason: "x",
        restock: false,
      },
      { amount: 100, reason: "x", restock: false, currency: "EUR" },
      { amount: "100", reason: "x", restock: false },
    ]) {
      expect((await refund(order.id, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await providerRefundsOf(order.paymentId)).toEqual([]);
  });

  it("customers get 403 and anonymous callers 401", async () => {
    const order = await insertPaidOrder({ userId: null });
    const customer = await createUser("customer");
    expect((await refund(order.id, { reason: "x", restock: false }, { token: customer.token })).status).toBe(403);
    expect(
      (
        await callJson(`/v1/admin/orders/${order.id}/refunds`, {
          method: "POST",
          body: { reason: "x", restock: false },
        })
      ).status,
    ).toBe(401);
  });
});
