import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { createDatabase } from "../../db/client";
import { ServerTimings, timedD1 } from "../../platform/timing";
import type { CartContext } from "./cart.access";
import { addItem, createCart, removeItem, setItemQuantity, updateCart } from "./cart.service";

beforeAll(ensurePricingRules);

/** A cart context whose D1 handle counts every statement and batch sent (one per round trip). */
function counted(): { context: CartContext; timings: ServerTimings } {
  const timings = new ServerTimings();
  return {
    timings,
    context: { db: createDatabase(timedD1(env.DB, timings)), caller: undefined, now: Date.now(), ttlMs: 3_600_000 },
  };
}

describe("cart writes", () => {
  it("add an item in two D1 round trips: the reads with stock, then the write with the pricing reads", async () => {
    const sku = await createSellableSku({ onHand: 5 });
    const created = await createCart(counted().context, { country: "ES" });
    const { context, timings } = counted();
    const answer = await addItem(context, created.cart.id, { sku, quantity: 2 });
    expect(answer.view.lines.map((line) => [line.sku, line.quantity])).toEqual([[sku, 2]]);
    expect(timings.count("d1")).toBe(2);
  });

  it("set a quantity, remove a line and change the address in two round trips each; create in one", async () => {
    const sku = await createSellableSku({ onHand: 5 });
    const create = counted();
    const cart = await createCart(create.context, { country: "ES" });
    expect(create.timings.count("d1")).toBe(1);
    await addItem(counted().context, cart.cart.id, { sku, quantity: 1 });
    for (const write of [
      (context: CartContext) => setItemQuantity(context, cart.cart.id, sku, 3),
      (context: CartContext) => updateCart(context, cart.cart.id, { email: "buyer@example.test" }),
      (context: CartContext) => removeItem(context, cart.cart.id, sku),
    ]) {
      const { context, timings } = counted();
      await write(context);
      expect(timings.count("d1")).toBe(2);
    }
  });
});
