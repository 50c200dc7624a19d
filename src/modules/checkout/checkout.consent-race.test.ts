/**
 * The buyer's consent under concurrency: twenty buyers confirm the same
 * 50 % code with one use left. Whatever each one's pricing read saw, nobody keeps a charge other
 * than the total they confirmed: one order at the discounted total; every other buyer gets a 409
 * and keeps nothing (refused before any charge, or — having raced past pricing — refunded when the
 * order batch's usage guard refused the code).
 */
import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDiscountCode, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { carts, checkouts, testProviderCharges } from "../../db/schema";
import { checkoutDb as db, postCheckout, readyCartRows } from "./checkout.fixtures";

beforeAll(ensurePricingRules);

describe("a usage-limit-1 code and twenty concurrent buyers who confirmed its total", () => {
  it(
    "one order at the confirmed 2745, nineteen 409s, and no charge of the undiscounted total kept or even made",
    { timeout: 120_000 },
    async () => {
      const code = await createDiscountCode({ percentBasisPoints: 5000, usageLimit: 1 });
      const sku = await createSellableSku({ eur: 4490, onHand: 100 });
      const cartIds = await readyCartRows(20, sku);
      await db().update(carts).set({ discountCode: code }).where(inArray(carts.id, cartIds)).run();
      const expectedTotal = { amount: 2745, currency: "EUR" };

      const answers = await Promise.all(
        cartIds.map((cartId) =>
          postCheckout(cartId, { body: { cartId, paymentMethod: "pm_card_visa", expectedTotal } }),
        ),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(19).fill(409)]);
      expect(answers.find((answer) => answer.status === 201)?.body.total).toEqual(expectedTotal);
      for (const refused of answers.filter((answer) => answer.status === 409)) {
        // refused before charging (price-changed, with the full total), or charged the confirmed total and refunded
        const problem = refused.body as unknown as { type: string; total?: unknown };
        if (problem.type.endsWith("/price-changed")) expect(problem.total).toEqual({ amount: 4990, currency: "EUR" });
      }

      await expect
        .poll(async () => {
          const started = await db()
            .select({ id: checkouts.id })
            .from(checkouts)
            .where(inArray(checkouts.cartId, cartIds))
            .all();
          const charges =
            started.length === 0
              ? []
              : await db()
                  .select()
                  .from(testProviderCharges)
                  .where(
                    inArray(
                      testProviderCharges.idempotencyKey,
                      started.map((row) => row.id),
                    ),
                  )
                  .all();
          return {
            amountsCharged: [...new Set(charges.map((charge) => charge.amount))],
            kept: charges.reduce((sum, charge) => sum + charge.amount - charge.amountRefunded, 0),
          };
        })
        .toEqual({ amountsCharged: [2745], kept: 2745 });
      const [winner] = answers.filter((answer) => answer.status === 201);
      expect(
        await db()
          .select({ state: checkouts.state })
          .from(checkouts)
          .where(eq(checkouts.orderId, winner?.body.id ?? ""))
          .get(),
      ).toEqual({ state: "completed" });
    },
  );
});
