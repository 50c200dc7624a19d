/**
 * Decisions about one order racing each other, made deterministic: the D1 binding lets another
 * change land right before the decision's write batch (its second batch; the first is the read).
 * Whatever lands first wins; the other is a 409, never a 500, never money or units counted twice.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { createDatabase } from "../../db/client";
import { inventory, orderFulfillments, orderRefunds, testProviderRefunds } from "../../db/schema";
import { configOf } from "../../env";
import type { Actor } from "../audit/audit.service";
import { paymentProviderFor } from "../payments/payments.service";
import { fulfillOrder } from "./fulfill-order";
import { insertPaidOrder } from "./orders.fixtures";
import { findOrder } from "./orders.repository";
import { transitionOrder, type OrdersDeps } from "./orders.service";
import { refundOrder } from "./refund-order";

let staff: TestUser;
let actor: Actor;
beforeAll(async () => {
  staff = await createUser("staff");
  actor = { userId: staff.id, origin: { requestId: "race-test", ip: null } };
});

/** Orders deps whose D1 runs `change` right before its second batch (the decision's write). */
function depsWithInterloper(change: () => Promise<unknown>): OrdersDeps {
  let batches = 0;
  const d1 = new Proxy(env.DB, {
    get(target, property) {
      if (property === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          batches += 1;
          if (batches === 2) await change();
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: createDatabase(d1), env, payments: paymentProviderFor(env, configOf(env)) };
}
const plainDeps = (): OrdersDeps => ({
  db: createDatabase(env.DB),
  env,
  payments: paymentProviderFor(env, configOf(env)),
});
const db = () => createDatabase(env.DB);
const onHandOf = async (sku: string) =>
  (await db().select().from(inventory).where(eq(inventory.sku, sku)).get())?.onHand;
const providerRefunded = async (paymentId: string) =>
  (await db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all()).reduce(
    (sum, row) => sum + row.amount,
    0,
  );

describe("a parcel and a refund decided on the same read", () => {
  it("a refund that lands first makes the parcel that would ship the refunded unit a 409", async () => {
    const order = await insertPaidOrder({ userId: null, quantity: 2, onHand: 5 });
    const refundFirst = () =>
      refundOrder(plainDeps(), {
        orderId: order.id,
        actor,
        lines: [{ sku: order.sku, quantity: 1 }],
        reason: "broken",
        restock: true,
      });
    const parcel = await fulfillOrder(depsWithInterloper(refundFirst), {
      orderId: order.id,
      actor,
      carrier: "DHL",
      trackingNumber: "R1",
    }).catch((error: unknown) => error);
    expect(parcel).toMatchObject({ status: 409 });
    expect(await db().select().from(orderFulfillments).where(eq(orderFulfillments.orderId, order.id)).all()).toEqual(
      [],
    );
    expect(await onHandOf(order.sku)).toBe(6);
  });

  it("a parcel that lands first makes the refund decided before it a 409", async () => {
    const order = await insertPaidOrder({ userId: null, quantity: 2 });
    const shipFirst = () =>
      fulfillOrder(plainDeps(), {
        orderId: order.id,
        actor,
        carrier: "DHL",
        trackingNumber: "R2",
        lines: [{ sku: order.sku, quantity: 1 }],
      });
    const refund = await refundOrder(depsWithInterloper(shipFirst), {
      orderId: order.id,
      actor,
      lines: [{ sku: order.sku, quantity: 2 }],
      reason: "x",
      restock: true,
    }).catch((error: unknown) => error);
    expect(refund).toMatchObject({ status: 409 });
    expect(await providerRefunded(order.paymentId)).toBe(0);
  });
});

describe("a cancel and a partial refund decided on the same read", () => {
  it("the refund landing first makes the cancel a 409 (not a 500), and nothing is refunded twice", async () => {
    const order = await insertPaidOrder({ userId: null, quantity: 2, onHand: 5 });
    const refundFirst = () =>
      refundOrder(plainDeps(), {
        orderId: order.id,
        actor,
        lines: [{ sku: order.sku, quantity: 1 }],
        reason: "broken",
        restock: true,
      });
    const cancel = await transitionOrder(depsWithInterloper(refundFirst), {
      orderId: order.id,
      to: "cancelled",
      actor: staff.id,
    }).catch((error: unknown) => error);
    expect(cancel).toMatchObject({ status: 409 });
    expect(await onHandOf(order.sku)).toBe(6);
    // decided again on a fresh read, the cancel returns only what is left and the unit not yet restocked
    await transitionOrder(plainDeps(), { orderId: order.id, to: "cancelled", actor: staff.id });
    expect(await providerRefunded(order.paymentId)).toBe(order.total);
    expect(await onHandOf(order.sku)).toBe(7);
  });

  it("a full-refund webhook racing a staff refund is a 409 for the webhook (redelivered), never more recorded than paid", async () => {
    const order = await insertPaidOrder({ userId: null });
    const refundFirst = () =>
      refundOrder(plainDeps(), { orderId: order.id, actor, amount: 500, reason: "goodwill", restock: false });
    const webhook = await transitionOrder(
      { ...depsWithInterloper(refundFirst), payments: undefined },
      {
        orderId: order.id,
        to: "refunded",
        actor: "system:payments:test",
        refundedAtProvider: { refundId: "re_race" },
        idempotent: true,
      },
    ).catch((error: unknown) => error);
    expect(webhook).toMatchObject({ status: 409 });
    const recorded = await db().select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id)).all();
    expect(recorded.reduce((sum, row) => sum + row.amount, 0)).toBe(500);
  });
});

describe("retries with the same Idempotency-Key", () => {
  it("a parcel retried after its first answer was lost is found, not recorded twice", async () => {
    const order = await insertPaidOrder({ userId: null, quantity: 3 });
    const request = {
      orderId: order.id,
      actor,
      carrier: "DHL",
      trackingNumber: "K1",
      lines: [{ sku: order.sku, quantity: 1 }],
      requestKey: "k-parcel-1",
    };
    const first = await fulfillOrder(plainDeps(), request);
    const retry = await fulfillOrder(plainDeps(), request);
    expect(retry.id).toBe(first.id);
    expect(
      await db().select().from(orderFulfillments).where(eq(orderFulfillments.orderId, order.id)).all(),
    ).toHaveLength(1);
  });
});

describe("refunding what a partly shipped order had left to ship", () => {
  it("moves it to shipped (nothing is left to wait for)", async () => {
    const order = await insertPaidOrder({ userId: null, quantity: 2 });
    await fulfillOrder(plainDeps(), {
      orderId: order.id,
      actor,
      carrier: "DHL",
      trackingNumber: "S1",
      lines: [{ sku: order.sku, quantity: 1 }],
    });
    await refundOrder(plainDeps(), {
      orderId: order.id,
      actor,
      lines: [{ sku: order.sku, quantity: 1 }],
      reason: "out of stock",
      restock: false,
    });
    expect((await findOrder(db(), order.id))?.status).toBe("shipped");
  });
});
