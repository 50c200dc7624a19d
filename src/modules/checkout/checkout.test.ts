import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createDiscountCode, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { setOnHandInD1, settleMirror } from "../../../test/helpers/inventory";
import {
  carts,
  checkouts,
  discountCodes,
  inventory,
  orders,
  orderTransitions,
  outboxEvents,
  testProviderCharges,
} from "../../db/schema";
import { newId } from "../../platform/ids";
import { stockLockFor } from "../inventory/inventory.service";
import type { OrderView } from "../orders/orders.schemas";
import { checkoutDb as db, postCheckout, readyCartOverHttp } from "./checkout.fixtures";

beforeAll(ensurePricingRules);

const stockOf = async (sku: string) => {
  const row = await db().select().from(inventory).where(eq(inventory.sku, sku)).get();
  const lock = await stockLockFor(env, sku).snapshot(sku);
  return { onHand: row?.onHand, mirrorReserved: row?.reserved, lockReserved: lock.reserved };
};
const checkoutOf = (orderId: string) => db().select().from(checkouts).where(eq(checkouts.orderId, orderId)).get();
const chargesFor = (checkoutId: string) =>
  db().select().from(testProviderCharges).where(eq(testProviderCharges.idempotencyKey, checkoutId)).all();

describe("POST /v1/checkout — the happy path", () => {
  it("re-prices the cart, charges it and answers 201 with the paid order; stock is decremented and nothing stays reserved", async () => {
    const sku = await createSellableSku({ eur: 1999, onHand: 10 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 2 }]);
    const { status, body } = await postCheckout(cartId);
    expect(status).toBe(201);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^ord_/),
      status: "paid",
      email: "buyer@example.test",
      lines: [
        { sku, quantity: 2, unitPrice: { amount: 1999, currency: "EUR" }, total: { amount: 3998, currency: "EUR" } },
      ],
      subtotal: { amount: 3998 },
      shipping: { amount: 500 },
      total: { amount: 4498, currency: "EUR" },
      tax: { inclusive: true },
    });
    // the reservation's commit runs after the answer (waitUntil) and lands shortly after; the lock's
    // own alarm writes the ended hold to the D1 mirror within a second (run it now)
    await expect.poll(async () => (await stockOf(sku)).lockReserved).toBe(0);
    await settleMirror(sku);
    expect(await stockOf(sku)).toEqual({ onHand: 8, mirrorReserved: 0, lockReserved: 0 });
    const checkout = await checkoutOf(body.id);
    expect(checkout).toMatchObject({ state: "completed", amount: 4498, paymentId: body.paymentId });
    expect(checkout?.stockCommittedAt).not.toBeNull();
    expect(await chargesFor(checkout?.id ?? "")).toMatchObject([{ amount: 4498, status: "succeeded" }]);
  });

  it("writes the order.created event with the contract's data, and the transitions pending → paid", async () => {
    const sku = await createSellableSku({ eur: 1000 });
    const { body } = await postCheckout(await readyCartOverHttp([{ sku, quantity: 1 }]));
    const events = (await db().select().from(outboxEvents).all()).filter((event) => event.data.orderId === body.id);
    expect(events.map((event) => event.type).sort()).toEqual(["order.created", "order.paid"]);
    expect(events.find((event) => event.type === "order.created")?.data).toEqual({
      orderId: body.id,
      userId: null,
      email: "buyer@example.test",
      currency: "EUR",
      total: body.total.amount,
      lines: [{ sku, title: `Variant ${sku}`, quantity: 1, unitPrice: 1000, total: 1000 }],
      shippingAddress: { country: "ES", postalCode: "28001", city: "Madrid", line1: "Calle Mayor 1" },
      billingAddress: null,
    });
    const moves = await db().select().from(orderTransitions).where(eq(orderTransitions.orderId, body.id)).all();
    expect(moves.map((move) => [move.fromStatus, move.toStatus])).toEqual([
      [null, "pending"],
      ["pending", "paid"],
    ]);
  });

  it("checks the cart out: it is gone for the shop afterwards", async () => {
    const sku = await createSellableSku();
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    expect((await postCheckout(cartId)).status).toBe(201);
    expect((await callJson(`/v1/carts/${cartId}`)).status).toBe(404);
    // a new key on it: 409 "already checked out" (docs/checkout.md), not "No such cart"
    expect((await postCheckout(cartId)).status).toBe(409);
  });

  it("makes the order the signed-in buyer's, listed in their orders", async () => {
    const buyer = await createUser();
    const sku = await createSellableSku();
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }], { token: buyer.token });
    const { status, body } = await postCheckout(cartId, { token: buyer.token });
    expect(status).toBe(201);
    expect((await db().select().from(orders).where(eq(orders.id, body.id)).get())?.userId).toBe(buyer.id);
    const mine = await callJson<{ data: OrderView[] }>("/v1/orders", { token: buyer.token });
    expect(mine.body.data.map((order) => order.id)).toContain(body.id);
  });

  it("replays the same key and body with Idempotent-Replayed and charges once", async () => {
    const sku = await createSellableSku();
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    const key = newId("idem");
    const first = await postCheckout(cartId, { key });
    const again = await postCheckout(cartId, { key });
    expect(again.status).toBe(201);
    expect(again.response.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(await chargesFor((await checkoutOf(first.body.id))?.id ?? "")).toHaveLength(1);
    expect((await postCheckout(cartId, { key, paymentMethod: "pm_card_mastercard" })).status).toBe(422);
  });

  it("redeems the applied discount code in the order batch", async () => {
    const code = await createDiscountCode({ percentBasisPoints: 1000, usageLimit: 5 });
    const sku = await createSellableSku({ eur: 2000 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    expect((await callJson(`/v1/carts/${cartId}/discount`, { method: "POST", body: { code } })).status).toBe(200);
    const { status, body } = await postCheckout(cartId);
    expect(status).toBe(201);
    expect(body).toMatchObject({ discount: { amount: 200 }, discountCode: code });
    expect((await db().select().from(discountCodes).where(eq(discountCodes.code, code)).get())?.used).toBe(1);
  });
});

describe("POST /v1/checkout — refusals", () => {
  it("requires an Idempotency-Key (400) and validates it", async () => {
    const sku = await createSellableSku();
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    const missing = await postCheckout(cartId, { key: null });
    expect(missing.status).toBe(400);
    expect((await postCheckout(cartId, { key: "short" })).status).toBe(400);
    expect((await postCheckout(cartId, { key: "has spaces in it" })).status).toBe(400);
  });

  it("answers 400 for a malformed body: unknown fields (a client price), wrong types, bad tokens", async () => {
    const sku = await createSellableSku();
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    for (const body of [
      { cartId, paymentMethod: "pm_card_visa", total: 1 },
      { cartId: 42, paymentMethod: "pm_card_visa" },
      { cartId },
      { cartId, paymentMethod: "pm card; drop" },
      "{nope",
    ]) {
      expect((await postCheckout(cartId, { body })).status, JSON.stringify(body)).toBe(400);
    }
  });

  it("answers 404 for an unknown cart and for someone else's cart", async () => {
    const [owner, stranger] = await Promise.all([createUser(), createUser()]);
    const sku = await createSellableSku();
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }], { token: owner.token });
    expect((await postCheckout("cart_0000000000000000000000")).status).toBe(404);
    expect((await postCheckout(cartId, { token: stranger.token })).status).toBe(404);
  });

  it.each([
    ["an empty cart", [], {}, "empty_cart"],
    ["no email", [1], { email: null }, "email_required"],
    ["no shipping address", [1], { address: null }, "shipping_address_required"],
  ] as const)(
    "answers 422 for %s, naming the blocker, and charges nothing",
    async (_, quantities, options, blocker) => {
      const sku = await createSellableSku();
      const cartId = await readyCartOverHttp(
        quantities.map((quantity) => ({ sku, quantity })),
        options,
      );
      const { status, body } = await postCheckout(cartId);
      expect(status).toBe(422);
      expect(body.blockers).toContain(blocker);
      expect((await stockOf(sku)).lockReserved).toBe(0);
    },
  );

  it("answers 422 when a US address lacks its state (region)", async () => {
    const sku = await createSellableSku();
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    // the cart API refuses such an address; a cart stored before a rule became regional still has one
    const address = { country: "US", postalCode: "10001", city: "New York", line1: "1 Main St" };
    await db()
      .update(carts)
      .set({ country: "US", currency: "USD", shippingAddress: address })
      .where(eq(carts.id, cartId))
      .run();
    const { status, body } = await postCheckout(cartId);
    expect(status).toBe(422);
    expect(body.blockers).toContain("region_required");
  });

  it("answers 409 naming the SKUs that are out of stock, and reserves nothing", async () => {
    const [plenty, scarce] = await Promise.all([createSellableSku({ onHand: 10 }), createSellableSku({ onHand: 1 })]);
    const cartId = await readyCartOverHttp([
      { sku: plenty, quantity: 1 },
      { sku: scarce, quantity: 1 },
    ]);
    await callJson(`/v1/carts/${cartId}/items/${scarce}`, { method: "PATCH", body: { quantity: 1 } });
    await setOnHandInD1(scarce, 0);
    await stockLockFor(env, scarce).syncOnHand(scarce);
    const { status, body } = await postCheckout(cartId);
    expect(status).toBe(409);
    expect(body.skus).toEqual([scarce]);
    expect(await stockOf(plenty)).toMatchObject({ onHand: 10, lockReserved: 0 });
  });
});
