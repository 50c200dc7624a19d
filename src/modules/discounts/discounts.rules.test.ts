import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { cartDb, createDiscountCode, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { discountCodes, discountRedemptions } from "../../db/schema";
import type { CartView } from "../cart/cart.schemas";
import { discountRedemptionStatements, isDiscountUsageExhausted } from "./discounts.rules";

type Problem = { status: number; reason?: string };

async function cartWith(eur: number, quantity = 1) {
  const sku = await createSellableSku({ eur });
  const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: { country: "ES" } })).body;
  await callJson(`/v1/carts/${cart.id}/items`, { method: "POST", body: { sku, quantity } });
  return cart.id;
}

const apply = (cartId: string, code: string, token?: string) =>
  callJson<CartView & Problem>(`/v1/carts/${cartId}/discount`, { method: "POST", body: { code }, token });
const hour = 60 * 60 * 1000;

beforeAll(ensurePricingRules);

describe("discount codes on a cart", () => {
  it("applies a percentage code in any letter case, before tax (the included VAT shrinks too)", async () => {
    const code = await createDiscountCode({ percentBasisPoints: 1000 });
    const cartId = await cartWith(4900);
    const { status, body } = await apply(cartId, code.toLowerCase());
    expect(status).toBe(200);
    expect(body.discountCode).toBe(code);
    expect(body.discount.amount).toBe(490);
    expect(body.lines[0]?.discount.amount).toBe(490);
    expect(body.tax.amount).toBe(765 + 87); // 21 % included in 44.10, plus in the 5.00 shipping
    expect(body.total.amount).toBe(4900 - 490 + 500);
  });

  it("applies a fixed code in its currency and removes it again", async () => {
    const code = await createDiscountCode({ kind: "fixed", percentBasisPoints: null, amount: 500, currency: "EUR" });
    const cartId = await cartWith(2000);
    expect((await apply(cartId, code)).body.discount.amount).toBe(500);
    const removed = await callJson<CartView>(`/v1/carts/${cartId}/discount`, { method: "DELETE" });
    expect(removed.body).toMatchObject({ discountCode: null, discount: { amount: 0 } });
  });

  it.each([
    ["unknown", async () => "NOPE-NOT-A-CODE"],
    ["inactive", () => createDiscountCode({ active: false })],
    ["not_started", () => createDiscountCode({ startsAt: Date.now() + hour })],
    ["expired", () => createDiscountCode({ endsAt: Date.now() - hour })],
    ["exhausted", () => createDiscountCode({ usageLimit: 1, used: 1 })],
    [
      "wrong_currency",
      () => createDiscountCode({ kind: "fixed", percentBasisPoints: null, amount: 500, currency: "USD" }),
    ],
  ])("refuses a code that is %s with 422: one answer for customers, the reason for staff", async (reason, makeCode) => {
    const cartId = await cartWith(2000);
    const code = await makeCode();
    const customer = await apply(cartId, code);
    expect(customer.status).toBe(422);
    expect(customer.body).toMatchObject({ reason: "unusable", detail: "This code cannot be used" });
    const staff = await apply(cartId, code, (await createUser("staff")).token);
    expect(staff.status).toBe(422);
    expect(staff.body.reason).toBe(reason);
  });

  it("keeps a code below its minimum subtotal at 0 with a notice, until the cart reaches it", async () => {
    const code = await createDiscountCode({ minSubtotal: 3000 });
    const sku = await createSellableSku({ eur: 2000 });
    const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: { country: "ES" } })).body;
    await callJson(`/v1/carts/${cart.id}/items`, { method: "POST", body: { sku, quantity: 1 } });
    const below = await apply(cart.id, code);
    expect(below.body).toMatchObject({
      discountCode: code,
      discount: { amount: 0 },
      notices: ["discount_below_minimum"],
    });
    const above = await callJson<CartView>(`/v1/carts/${cart.id}/items`, {
      method: "POST",
      body: { sku, quantity: 1 },
    });
    expect(above.body.discount.amount).toBe(400);
  });

  it("stops discounting once the code expires after being applied, with a notice", async () => {
    const code = await createDiscountCode();
    const cartId = await cartWith(2000);
    await apply(cartId, code);
    await cartDb()
      .update(discountCodes)
      .set({ endsAt: Date.now() - 1 })
      .where(eq(discountCodes.code, code));
    const { body } = await callJson<CartView>(`/v1/carts/${cartId}`);
    expect(body.discount.amount).toBe(0);
    expect(body.notices).toContain("discount_expired");
  });

  it("rejects an empty or oversized code (400)", async () => {
    const cartId = await cartWith(2000);
    expect((await apply(cartId, "  ")).status).toBe(400);
    expect((await apply(cartId, "X".repeat(65))).status).toBe(400);
  });
});

describe("discount usage limit at checkout", () => {
  it("the last use can be redeemed once; a second batch fails whole and is recognisable", async () => {
    const db = cartDb();
    const code = await createDiscountCode({ usageLimit: 1 });
    const redeem = (orderId: string) =>
      db.batch([
        ...discountRedemptionStatements(db, {
          code,
          orderId,
          userId: null,
          email: `${orderId}@example.test`,
          amount: 100,
          currency: "EUR",
          now: Date.now(),
        }),
      ]);
    await redeem("ord_first");
    const failure = await redeem("ord_second").then(
      () => null,
      (error: unknown) => error,
    );
    expect(isDiscountUsageExhausted(failure)).toBe(true);
    const [row] = await db.select().from(discountCodes).where(eq(discountCodes.code, code));
    expect(row?.used).toBe(1);
    const redemptions = await db.select().from(discountRedemptions).where(eq(discountRedemptions.code, code));
    expect(redemptions.map((r) => r.orderId)).toEqual(["ord_first"]); // the second insert was rolled back
  });

  it("does not mistake other failures for an exhausted code", () => {
    expect(isDiscountUsageExhausted(new Error("D1_ERROR: UNIQUE constraint failed"))).toBe(false);
    expect(isDiscountUsageExhausted(undefined)).toBe(false);
  });

  it("a code without a limit can be redeemed many times", async () => {
    const db = cartDb();
    const code = await createDiscountCode();
    for (const orderId of ["ord_a", "ord_b", "ord_c"])
      await db.batch([
        ...discountRedemptionStatements(db, {
          code,
          orderId,
          userId: null,
          email: `${orderId}@example.test`,
          amount: 1,
          currency: "EUR",
          now: 1,
        }),
      ]);
    const [row] = await db.select().from(discountCodes).where(eq(discountCodes.code, code));
    expect(row?.used).toBe(3);
  });

  it("holds a per-customer limit under concurrent checkouts: by user id, and by email for the same buyer as a guest", async () => {
    const db = cartDb();
    const code = await createDiscountCode({ perCustomerLimit: 1 });
    const redeem = (orderId: string, userId: string | null, email: string) =>
      db
        .batch([
          ...discountRedemptionStatements(db, {
            code,
            orderId,
            userId,
            email,
            amount: 100,
            currency: "EUR",
            now: Date.now(),
          }),
        ])
        .then(
          () => "ok",
          (error: unknown) => (isDiscountUsageExhausted(error) ? "exhausted" : error),
        );
    const outcomes = await Promise.all(
      ["ord_c1", "ord_c2", "ord_c3"].map((orderId) => redeem(orderId, "usr_same", `${orderId}@example.test`)),
    );
    expect(outcomes.sort()).toEqual(["exhausted", "exhausted", "ok"]);
    expect(await redeem("ord_c4", null, "guest@example.test")).toBe("ok");
    expect(await redeem("ord_c5", null, "GUEST@example.test")).toBe("exhausted");
    expect(await redeem("ord_c6", "usr_other", "other@example.test")).toBe("ok");
    const [row] = await db.select().from(discountCodes).where(eq(discountCodes.code, code));
    expect(row?.used).toBe(3);
  });

  it("refuses a code the signed-in customer used up (422, one answer for customers), with a notice on a cart holding it", async () => {
    const db = cartDb();
    const user = await createUser();
    const code = await createDiscountCode({ perCustomerLimit: 1 });
    const cartId = (
      await callJson<CartView>("/v1/carts", { method: "POST", body: { country: "ES" }, token: user.token })
    ).body.id;
    await callJson(`/v1/carts/${cartId}/items`, {
      method: "POST",
      body: { sku: await createSellableSku({ eur: 2000 }), quantity: 1 },
      token: user.token,
    });
    expect(
      (await callJson(`/v1/carts/${cartId}/discount`, { method: "POST", body: { code }, token: user.token })).status,
    ).toBe(200);
    await db.batch([
      ...discountRedemptionStatements(db, {
        code,
        orderId: "ord_before",
        userId: user.id,
        email: user.email,
        amount: 100,
        currency: "EUR",
        now: Date.now(),
      }),
    ]);
    const held = await callJson<CartView>(`/v1/carts/${cartId}`, { token: user.token });
    expect(held.body).toMatchObject({ discount: { amount: 0 }, notices: ["discount_exhausted_for_customer"] });
    const again = await callJson<Problem>(`/v1/carts/${cartId}/discount`, {
      method: "POST",
      body: { code },
      token: user.token,
    });
    // customers get one answer for any unusable code; staff see exhausted_for_customer
    expect([again.status, again.body.reason]).toEqual([422, "unusable"]);
  });
});
