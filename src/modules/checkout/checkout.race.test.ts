import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { settleMirror } from "../../../test/helpers/inventory";
import { checkouts, inventory, orderLines, orders, testProviderCharges } from "../../db/schema";
import { newId } from "../../platform/ids";
import { stockLockFor } from "../inventory/inventory.service";
import { checkoutDb as db, postCheckout, readyCartRows } from "./checkout.fixtures";

beforeAll(ensurePricingRules);

describe("checkout under concurrency", () => {
  it(
    "200 buyers racing for 20 units: 20 orders, 180 × 409 naming the SKU, on-hand 0, nothing reserved",
    { timeout: 120_000 },
    async () => {
      const sku = await createSellableSku({ onHand: 20, eur: 1000 });
      const cartIds = await readyCartRows(200, sku);
      const answers = await Promise.all(cartIds.map((cartId) => postCheckout(cartId)));
      const byStatus = new Map<number, number>();
      for (const answer of answers) byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
      expect(Object.fromEntries(byStatus)).toEqual({ 201: 20, 409: 180 });
      expect(answers.filter((answer) => answer.status === 409).every((answer) => answer.body.skus?.[0] === sku)).toBe(
        true,
      );
      const sold = await db().select().from(orderLines).where(eq(orderLines.sku, sku)).all();
      expect(sold).toHaveLength(20);
      const states = await db()
        .select({ state: checkouts.state })
        .from(checkouts)
        .where(
          inArray(
            checkouts.orderId,
            sold.map((line) => line.orderId),
          ),
        )
        .all();
      expect(states.every((row) => row.state === "completed")).toBe(true);
      // the reservations' commits run after the answers (waitUntil): they land shortly after; the
      // lock's alarm then writes the ended holds to the D1 mirror (within a second: run it now)
      await expect
        .poll(() => stockLockFor(env, sku).snapshot(sku), { timeout: 15_000 })
        .toEqual({ onHand: 0, reserved: 0, available: 0 });
      await settleMirror(sku);
      expect(await db().select().from(inventory).where(eq(inventory.sku, sku)).get()).toMatchObject({
        onHand: 0,
        reserved: 0,
      });
    },
  );

  it("the same Idempotency-Key 10 times at once: one order, one charge", async () => {
    const sku = await createSellableSku({ onHand: 10 });
    const [cartId = ""] = await readyCartRows(1, sku);
    const key = newId("idem");
    const answers = await Promise.all(Array.from({ length: 10 }, () => postCheckout(cartId, { key })));
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((answer) => answer.body.id)).size).toBe(1);
    expect(answers.every((answer) => answer.status === 201 || answer.status === 409)).toBe(true);
    const started = await db().select().from(checkouts).where(eq(checkouts.cartId, cartId)).all();
    expect(started).toHaveLength(1);
    expect(
      await db()
        .select()
        .from(testProviderCharges)
        .where(eq(testProviderCharges.idempotencyKey, started[0]?.id ?? ""))
        .all(),
    ).toHaveLength(1);
    expect(
      await db()
        .select()
        .from(orders)
        .where(eq(orders.checkoutId, started[0]?.id ?? ""))
        .all(),
    ).toHaveLength(1);
    expect((await db().select().from(inventory).where(eq(inventory.sku, sku)).get())?.onHand).toBe(9);
  });
});
