/**
 * GET /v1/admin/orders/{id}: everything staff need, read in a fixed number of D1 round trips
 * whatever the number of lines, refunds, fulfillments and transitions (counted at the binding).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createDatabase } from "../../db/client";
import { eq } from "drizzle-orm";
import { orderLines, orders } from "../../db/schema";
import { ServerTimings, timedD1 } from "../../platform/timing";
import type { AdminOrderView } from "./order-admin.schemas";
import { insertPaidOrder } from "./orders.fixtures";
import { getAdminOrder } from "./orders.service";

let staff: TestUser;
beforeAll(async () => {
  staff = await createUser("staff");
});

const post = (path: string, body: unknown) => callJson(path, { method: "POST", token: staff.token, body });

/** An order with many lines, two refunds, two parcels and several status changes. */
async function busyOrder() {
  const order = await insertPaidOrder({ userId: null, quantity: 4 });
  // eight more lines, priced into the order's subtotal (the charge keeps covering the refunds below)
  const db = createDatabase(env.DB);
  await db.batch([
    db.insert(orderLines).values(
      Array.from({ length: 8 }, (_, index) => ({
        orderId: order.id,
        sku: `${order.sku}-${index}`,
        title: `Extra ${index}`,
        quantity: 1,
        unitPrice: 100,
        total: 100,
      })),
    ),
    db
      .update(orders)
      .set({ subtotal: order.total + 800, total: order.total + 800 })
      .where(eq(orders.id, order.id)),
  ]);
  expect(
    (await post(`/v1/admin/orders/${order.id}/refunds`, { amount: 100, reason: "goodwill", restock: false })).status,
  ).toBe(201);
  expect(
    (
      await post(`/v1/admin/orders/${order.id}/refunds`, {
        lines: [{ sku: order.sku, quantity: 1 }],
        reason: "broken",
        restock: true,
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await post(`/v1/admin/orders/${order.id}/fulfillments`, {
        carrier: "DHL",
        trackingNumber: "P1",
        lines: [{ sku: order.sku, quantity: 1 }],
      })
    ).status,
  ).toBe(201);
  expect(
    (await post(`/v1/admin/orders/${order.id}/fulfillments`, { carrier: "DHL", trackingNumber: "P2" })).status,
  ).toBe(201);
  expect((await post(`/v1/admin/orders/${order.id}/transition`, { to: "delivered" })).status).toBe(200);
  return order;
}

async function roundTrips(orderId: string): Promise<number> {
  const timings = new ServerTimings();
  await getAdminOrder(createDatabase(timedD1(env.DB, timings)), orderId);
  return timings.count("d1");
}

describe("the staff view of one order", () => {
  it("reads a small order and a busy one in the same single D1 round trip", async () => {
    const small = await insertPaidOrder({ userId: null });
    const busy = await busyOrder();
    expect({ small: await roundTrips(small.id), busy: await roundTrips(busy.id) }).toEqual({ small: 1, busy: 1 });
  });

  it("carries lines with refunded and shipped units, the payment, refunds, fulfillments and the timeline with actors", async () => {
    const order = await busyOrder();
    const { status, body } = await callJson<AdminOrderView>(`/v1/admin/orders/${order.id}`, { token: staff.token });
    expect(status).toBe(200);
    expect(body.status).toBe("delivered");
    expect(body.lines.find((line) => line.sku === order.sku)).toMatchObject({
      quantity: 4,
      refundedQuantity: 1,
      shippedQuantity: 3,
    });
    const eur = (amount: number) => ({ amount, currency: "EUR" });
    expect(body.payments).toEqual([
      {
        provider: "test",
        paymentId: order.paymentId,
        captureMethod: "automatic",
        status: "captured",
        authorized: eur(order.total + 800),
        captured: eur(order.total + 800),
        voided: eur(0),
        refunded: eur(100 + 1500),
        refundPending: eur(0),
        authorizationExpiresAt: null,
        lastError: null,
      },
    ]);
    expect(body.refunds.map((refund) => [refund.reason, refund.amount.amount, refund.restock])).toEqual([
      ["goodwill", 100, false],
      ["broken", 1500, true],
    ]);
    expect(body.fulfillments.map((parcel) => parcel.trackingNumber)).toEqual(["P1", "P2"]);
    expect(body.timeline.map((entry) => [entry.from, entry.to])).toEqual([
      [null, "paid"],
      ["paid", "partially_shipped"],
      ["partially_shipped", "shipped"],
      ["shipped", "delivered"],
    ]);
    expect(body.timeline.slice(1).every((entry) => entry.actor === staff.id)).toBe(true);
  });

  it("is 404 for an unknown order, 403 for customers and 401 without a token", async () => {
    const customer = await createUser("customer");
    const order = await insertPaidOrder({ userId: customer.id });
    expect((await callJson(`/v1/admin/orders/ord_0123456789ABCDEFGHIJKL`, { token: staff.token })).status).toBe(404);
    expect((await callJson(`/v1/admin/orders/${order.id}`, { token: customer.token })).status).toBe(403);
    expect((await callJson(`/v1/admin/orders/${order.id}`)).status).toBe(401);
  });
});
