/** Test data for reconciliation: charges at the test provider that no order keeps. */
import { env } from "cloudflare:workers";
import { createDatabase } from "../../db/client";
import { checkouts } from "../../db/schema";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import { paymentProviderFor } from "./payments.service";

/** A charge the provider made for a checkout that left no order (its request died and the checkout was given up). */
export async function orphanCharge(checkoutState: "compensated" | "charging" | "completed" | null) {
  const checkoutId = newId("chk");
  const orderId = newId("ord");
  const since = Date.now() - 1_000;
  const { paymentId } = await paymentProviderFor(env, configOf(env)).charge({
    amount: 1_800,
    currency: "EUR",
    paymentMethod: "pm_card_visa",
    idempotencyKey: checkoutId,
    description: `Motor order ${orderId}`,
    metadata: { checkoutId, orderId },
  });
  if (checkoutState) {
    await createDatabase(env.DB)
      .insert(checkouts)
      .values({
        id: checkoutId,
        requestKey: newId("rk"),
        cartId: newId("cart"),
        state: checkoutState,
        paymentMethod: "pm_card_visa",
        amount: 1_800,
        currency: "EUR",
        snapshot: { orderId },
        orderId,
        // a completed checkout has committed its stock: the sweep has nothing left to do with it
        stockCommittedAt: checkoutState === "completed" ? since : null,
        createdAt: since,
        updatedAt: since,
      })
      .run();
  }
  return { paymentId, checkoutId, since };
}
