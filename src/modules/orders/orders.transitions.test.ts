import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createDatabase } from "../../db/client";
import { inventory, orderTransitions, outboxEvents, testProviderRefunds } from "../../db/schema";
import { stockLockFor } from "../inventory/inventory.service";
import { insertPaidOrder } from "./orders.fixtures";
import type { OrderView } from "./orders.schemas";

const db = () => createDatabase(env.DB);
const onHandOf = async (sku: string) =>
  (await db().select().from(inventory).where(eq(inventory.sku, sku)).get())?.onHand;
const refundsOf = (paymentId: string) =>
  db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all();
const transitionsOf = (orderId: string) =>
  db().select().from(orderTransitions).where(eq(orderTransitions.orderId, orderId)).orderBy(orderTransitions.at).all();
async function eventsFor(orderId: string) {
  const rows = await db().select().from(outboxEvents).all();
  return rows.filter((row) => row.data.orderId === orderId).map((row) => ({ type: row.type, data: row.data }));
}
const cancel = (id: string, token?: string, body?: unknown) =>
  callJson<OrderView>(`/v1/orders/${id}/cancel`, { method: "POST", token, body });
const transition = (id: string, token: string, body: unknown) =>
  callJson<OrderView>(`/v1/admin/orders/${id}/transition`, { method: "POST", token, body });

describe("cancelling an order", () => {
  it("refunds, returns the stock, records the transition and emits order.cancelled in one go", async () => {
    const owner = await createUser();
    const order = await insertPaidOrder({ userId: owner.id, quantity: 2, onHand: 5 });
    const { status, body } = await cancel(order.id, owner.token, { reason: "changed my mind" });
    expect(status).toBe(200);
    expect(body.status).toBe("cancelled");
    expect(await refundsOf(order.paymentId)).toMatchObject([{ amount: order.total }]);
    expect(await onHandOf(order.sku)).toBe(7);
    expect((await stockLockFor(env, order.sku).snapshot(order.sku)).onHand).toBe(7);
    expect((await transitionsOf(order.id)).at(-1)).toMatchObject({
      fromStatus: "paid",
      toStatus: "cancelled",
      actor: owner.id,
      reason: "changed my mind",
    });
    expect(await eventsFor(order.id)).toEqual([
      {
        type: "order.cancelled",
        data: expect.objectContaining({
          orderId: order.id,
          email: "buyer@example.test",
          from: "paid",
          status: "cancelled",
        }),
      },
    ]);
  });

  it("accepts a cancel without a body", async () => {
    const owner = await createUser();
    const order = await insertPaidOrder({ userId: owner.id });
    expect((await callJson(`/v1/orders/${order.id}/cancel`, { method: "POST", token: owner.token })).status).toBe(200);
  });

  it("refuses to cancel after fulfillment with 409 and changes nothing", async () => {
    const owner = await createUser();
    const order = await insertPaidOrder({ userId: owner.id, status: "fulfilled", onHand: 5 });
    const { status, body } = await cancel(order.id, owner.token);
    expect(status).toBe(409);
    expect(body).toMatchObject({ status: 409, allowed: ["partially_shipped", "shipped", "refunded"] });
    expect(await refundsOf(order.paymentId)).toEqual([]);
    expect(await onHandOf(order.sku)).toBe(5);
  });

  it("answers 404 to a stranger and to an anonymous caller", async () => {
    const [owner, stranger] = await Promise.all([createUser(), createUser()]);
    const order = await insertPaidOrder({ userId: owner.id });
    expect((await cancel(order.id, stranger.token)).status).toBe(404);
    expect((await cancel(order.id)).status).toBe(404);
    expect(await refundsOf(order.paymentId)).toEqual([]);
  });

  it("lets staff cancel a customer's order, recorded with the staff member as actor", async () => {
    const [owner, staff] = await Promise.all([createUser(), createUser("staff")]);
    const order = await insertPaidOrder({ userId: owner.id });
    expect((await cancel(order.id, staff.token)).status).toBe(200);
    expect((await transitionsOf(order.id)).at(-1)).toMatchObject({ toStatus: "cancelled", actor: staff.id });
  });

  it("cancels once when two cancels race: one 200, one 409, one refund, stock returned once", async () => {
    const owner = await createUser();
    const order = await insertPaidOrder({ userId: owner.id, quantity: 1, onHand: 3 });
    const answers = await Promise.all([cancel(order.id, owner.token), cancel(order.id, owner.token)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(await refundsOf(order.paymentId)).toHaveLength(1);
    expect(await onHandOf(order.sku)).toBe(4);
    expect((await eventsFor(order.id)).filter((event) => event.type === "order.cancelled")).toHaveLength(1);
  });

  it("rejects unknown body fields and hostile reasons with 400", async () => {
    const owner = await createUser();
    const order = await insertPaidOrder({ userId: owner.id });
    expect((await cancel(order.id, owner.token, { reason: "x", refund: 0 })).status).toBe(400);
    expect((await cancel(order.id, owner.token, { reason: "x".repeat(501) })).status).toBe(400);
    expect((await cancel(order.id, owner.token, "{not json")).status).toBe(400);
  });
});

describe("staff transitions", () => {
  it("walks paid → fulfilled → shipped → delivered, recording each move and its event", async () => {
    const [staff, owner] = await Promise.all([createUser("staff"), createUser()]);
    const order = await insertPaidOrder({ userId: owner.id, onHand: 5 });
    for (const to of ["fulfilled", "shipped", "delivered"]) {
      const { status, body } = await transition(order.id, staff.token, { to });
      expect(status, to).toBe(200);
      expect(body.status).toBe(to);
    }
    const moves = (await transitionsOf(order.id)).slice(1).map((row) => [row.fromStatus, row.toStatus, row.actor]);
    expect(moves).toEqual([
      ["paid", "fulfilled", staff.id],
      ["fulfilled", "shipped", staff.id],
      ["shipped", "delivered", staff.id],
    ]);
    expect((await eventsFor(order.id)).map((event) => event.type)).toEqual([
      "order.fulfilled",
      "order.shipped",
      "order.delivered",
    ]);
    expect(await onHandOf(order.sku)).toBe(5);
  });

  it("refunds a delivered order without returning its stock", async () => {
    const staff = await createUser("staff");
    const order = await insertPaidOrder({ userId: null, status: "delivered", onHand: 5 });
    const { status, body } = await transition(order.id, staff.token, { to: "refunded", reason: "damaged in transit" });
    expect(status).toBe(200);
    expect(body.status).toBe("refunded");
    expect(await refundsOf(order.paymentId)).toHaveLength(1);
    expect(await onHandOf(order.sku)).toBe(5);
  });

  it("answers 409 for a move the table does not allow", async () => {
    const staff = await createUser("staff");
    const order = await insertPaidOrder({ userId: null });
    expect((await transition(order.id, staff.token, { to: "delivered" })).status).toBe(409);
    expect((await transition(order.id, staff.token, { to: "paid" })).status).toBe(409);
  });

  it("answers 400 for an unknown status or extra fields, 403 to a customer, 401 without a token, 404 for an unknown order", async () => {
    const [staff, customer] = await Promise.all([createUser("staff"), createUser()]);
    const order = await insertPaidOrder({ userId: customer.id });
    expect((await transition(order.id, staff.token, { to: "teleported" })).status).toBe(400);
    expect((await transition(order.id, staff.token, { to: "fulfilled", status: "paid" })).status).toBe(400);
    expect((await transition(order.id, customer.token, { to: "fulfilled" })).status).toBe(403);
    expect(
      (await callJson(`/v1/admin/orders/${order.id}/transition`, { method: "POST", body: { to: "fulfilled" } })).status,
    ).toBe(401);
    expect((await transition("ord_0000000000000000000000", staff.token, { to: "fulfilled" })).status).toBe(404);
  });
});
