/**
 * One cart, one checkout: concurrent checkouts of one cart under different
 * Idempotency-Keys give one order and 409s (never "No such cart"), and a new key on a cart that
 * already became an order is a final 409.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { checkouts, orders } from "../../db/schema";
import { newId } from "../../platform/ids";
import { checkoutDb as db, postCheckout, readyCartOverHttp, readyCartRows } from "./checkout.fixtures";

beforeAll(ensurePricingRules);

type Answer = Awaited<ReturnType<typeof postCheckout>>;

const isInProgress = (answer: Answer) =>
  answer.status === 409 &&
  answer.response.headers.get("Retry-After") !== null &&
  (answer.body as { type?: string }).type?.endsWith("/checkout-in-progress");
const isCheckedOut = (answer: Answer) =>
  answer.status === 409 &&
  answer.response.headers.get("Retry-After") === null &&
  (answer.body as { type?: string }).type?.endsWith("/cart-checked-out");

describe("one checkout per cart", () => {
  it("12 concurrent checkouts of one cart, 12 keys: one order, 11 × 409; a loser's later retry is 409 too, never 404", async () => {
    const sku = await createSellableSku({ onHand: 10 });
    const [cartId = ""] = await readyCartRows(1, sku);
    const keys = Array.from({ length: 12 }, () => newId("idem"));
    const answers = await Promise.all(keys.map((key) => postCheckout(cartId, { key })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array<number>(11).fill(409)]);
    // what a losing tab does on 409 + Retry-After: wait, then re-send with its own key
    const losers = keys.filter((_, index) => answers[index]?.status === 409);
    const retries = await Promise.all(losers.map((key) => postCheckout(cartId, { key })));
    expect(retries.map((answer) => answer.status)).toEqual(Array<number>(11).fill(409));
    expect(
      answers.filter((answer) => answer.status === 409).every((answer) => isInProgress(answer) || isCheckedOut(answer)),
    ).toBe(true);
    expect(retries.every(isCheckedOut)).toBe(true);
    const started = await db().select().from(checkouts).where(eq(checkouts.cartId, cartId)).all();
    expect(started.map((row) => row.state)).toEqual(["completed"]);
    expect(
      await db()
        .select()
        .from(orders)
        .where(eq(orders.checkoutId, started[0]?.id ?? ""))
        .all(),
    ).toHaveLength(1);
  });

  it("a new key on a cart whose checkout completed: 409 'already checked out', without Retry-After", async () => {
    const sku = await createSellableSku({ onHand: 5 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    expect((await postCheckout(cartId)).status).toBe(201);
    const again = await postCheckout(cartId);
    expect(again.status).toBe(409);
    expect(isCheckedOut(again)).toBe(true);
    expect(again.body.detail).toMatch(/already been checked out/);
  });

  it("a checkout whose payment outcome is unknown keeps the cart: another key gets 409 in progress with Retry-After", async () => {
    const sku = await createSellableSku({ onHand: 5 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    expect((await postCheckout(cartId, { paymentMethod: "pm_card_timeout" })).status).toBe(503);
    const other = await postCheckout(cartId);
    expect(isInProgress(other)).toBe(true);
    expect(other.body.detail).toMatch(/another checkout of this cart is already in progress/i);
  });
});
