/**
 * Fulfillments over HTTP: a parcel with tracking moves the order to partially_shipped or shipped,
 * emits order.shipped with the tracking (the buyer's email), and refuses what cannot ship.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createDatabase } from "../../db/client";
import { auditLog, orderLines, outboxEvents } from "../../db/schema";
import type { FulfillmentView } from "./order-admin.schemas";
import { insertPaidOrder } from "./orders.fixtures";

const db = () => createDatabase(env.DB);
let staff: TestUser;
beforeAll(async () => {
  staff = await createUser("staff");
});

const fulfill = (orderId: string, body: unknown, token = staff.token) =>
  callJson<FulfillmentView & { orderStatus: string; detail?: string }>(`/v1/admin/orders/${orderId}/fulfillments`, {
    method: "POST",
    body,
    token,
  });
const shippedEvents = async (orderId: string) =>
  (await db().select().from(outboxEvents).where(eq(outboxEvents.type, "order.shipped")).all())
    .filter((row) => row.data.orderId === orderId)
    .map((row) => row.data);

/** A paid fixture order with a second line, so a parcel can hold some of it. */
async function twoLineOrder() {
  const order = await insertPaidOrder({ userId: null, quantity: 2 });
  await db()
    .insert(orderLines)
    .values({
      orderId: order.id,
      sku: `${order.sku}-B`,
      title: "Fixture mug",
      quantity: 1,
      unitPrice: 900,
      total: 900,
    });
  return order;
}

describe("fulfilling an order", () => {
  it("ships some units (partially_shipped), then the rest (shipped), each parcel with its tracking in order.shipped", async () => {
    const order = await twoLineOrder();
    const first = await fulfill(order.id, {
      carrier: "DHL",
      trackingNumber: "JD0001",
      trackingUrl: "https://dhl.example/track/JD0001",
      lines: [{ sku: order.sku, quantity: 1 }],
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      orderStatus: "partially_shipped",
      carrier: "DHL",
      trackingNumber: "JD0001",
      lines: [{ sku: order.sku, quantity: 1 }],
    });
    const second = await fulfill(order.id, { carrier: "UPS", trackingNumber: "1Z 999" });
    expect(second.body).toMatchObject({
      orderStatus: "shipped",
      lines: [
        { sku: order.sku, quantity: 1 },
        { sku: `${order.sku}-B`, quantity: 1 },
      ],
    });
    expect(await shippedEvents(order.id)).toEqual([
      expect.objectContaining({
        email: "buyer@example.test",
        carrier: "DHL",
        trackingNumber: "JD0001",
        trackingUrl: "https://dhl.example/track/JD0001",
        partial: true,
        status: "partially_shipped",
      }),
      expect.objectContaining({
        carrier: "UPS",
        trackingNumber: "1Z 999",
        partial: false,
        status: "shipped",
        from: "partially_shipped",
      }),
    ]);
    expect(await db().select().from(auditLog).where(eq(auditLog.subject, order.id)).all()).toHaveLength(2);
  });

  it("a second parcel while still partial keeps partially_shipped", async () => {
    const order = await insertPaidOrder({ userId: null, quantity: 3 });
    await fulfill(order.id, { carrier: "DHL", trackingNumber: "A1", lines: [{ sku: order.sku, quantity: 1 }] });
    const second = await fulfill(order.id, {
      carrier: "DHL",
      trackingNumber: "A2",
      lines: [{ sku: order.sku, quantity: 1 }],
    });
    expect(second.body.orderStatus).toBe("partially_shipped");
  });

  it("units refunded before they shipped are not waited for", async () => {
    const order = await insertPaidOrder({ userId: null, quantity: 2 });
    const refunded = await callJson(`/v1/admin/orders/${order.id}/refunds`, {
      method: "POST",
      token: staff.token,
      body: { lines: [{ sku: order.sku, quantity: 1 }], reason: "out of stock", restock: false },
    });
    expect(refunded.status).toBe(201);
    expect((await fulfill(order.id, { carrier: "DHL", trackingNumber: "B1" })).body).toMatchObject({
      orderStatus: "shipped",
      lines: [{ sku: order.sku, quantity: 1 }],
    });
  });

  it("two parcels racing for the same units: one ships them, the other is refused", async () => {
    const order = await insertPaidOrder({ userId: null, quantity: 2 });
    const answers = await Promise.all([
      fulfill(order.id, { carrier: "DHL", trackingNumber: "R1" }),
      fulfill(order.id, { carrier: "DHL", trackingNumber: "R2" }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect(await shippedEvents(order.id)).toHaveLength(1);
  });
});

describe("refusals", () => {
  it("a cancelled order cannot be fulfilled (409) and nothing is emitted", async () => {
    const order = await insertPaidOrder({ userId: null, status: "cancelled" });
    const { status, body } = await fulfill(order.id, { carrier: "DHL", trackingNumber: "C1" });
    expect(status).toBe(409);
    expect(body.detail).toContain("cancelled");
    expect(await shippedEvents(order.id)).toEqual([]);
  });

  it("an order that shipped everything refuses another parcel (409)", async () => {
    const order = await insertPaidOrder({ userId: null });
    await fulfill(order.id, { carrier: "DHL", trackingNumber: "D1" });
    expect((await fulfill(order.id, { carrier: "DHL", trackingNumber: "D2" })).status).toBe(409);
  });

  it("a SKU not in the order, or more units than are left, is a 422", async () => {
    const order = await insertPaidOrder({ userId: null, quantity: 2 });
    expect(
      (await fulfill(order.id, { carrier: "DHL", trackingNumber: "E1", lines: [{ sku: "NOT-HERE", quantity: 1 }] }))
        .status,
    ).toBe(422);
    expect(
      (await fulfill(order.id, { carrier: "DHL", trackingNumber: "E1", lines: [{ sku: order.sku, quantity: 3 }] }))
        .status,
    ).toBe(422);
  });

  it("hostile or malformed input is a 400", async () => {
    const order = await insertPaidOrder({ userId: null });
    for (const body of [
      { carrier: "DHL", trackingNumber: "<script>alert(1)</script>" },
      { carrier: "DHL", trackingNumber: "X1", trackingUrl: "javascript:alert(1)" },
      { carrier: "DHL", trackingNumber: "X1", trackingUrl: "http://plain.example/x" },
      { carrier: "", trackingNumber: "X1" },
      { carrier: "DHL\u0000", trackingNumber: "X1" },
      { carrier: "DHL", trackingNumber: "X".repeat(101) },
      { carrier: "DHL", trackingNumber: "X1", lines: [] },
      { carrier: "DHL", trackingNumber: "X1", lines: [{ sku: order.sku, quantity: 0 }] },
      { carrier: "DHL", trackingNumber: "X1", status: "delivered" },
    ]) {
      expect((await fulfill(order.id, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await shippedEvents(order.id)).toEqual([]);
  });

  it("customers get 403", async () => {
    const order = await insertPaidOrder({ userId: null });
    const customer = await createUser("customer");
    expect((await fulfill(order.id, { carrier: "DHL", trackingNumber: "F1" }, customer.token)).status).toBe(403);
  });

  it("a plain status change cannot claim partially_shipped (it needs the parcel's units)", async () => {
    const order = await insertPaidOrder({ userId: null });
    const { status } = await callJson(`/v1/admin/orders/${order.id}/transition`, {
      method: "POST",
      token: staff.token,
      body: { to: "partially_shipped" },
    });
    expect(status).toBe(400);
  });
});
