/**
 * The provider's word about a payment that waits for the buyer: `payment_intent.*` for a
 * checkout in `requires_action` drives that checkout, exactly as the returning browser's complete
 * and the sweep do — it asks the provider itself, so the event is only a nudge and a forged or
 * stale one decides nothing. This is how an order completes after the buyer's tab is gone.
 */
import { and, eq, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { checkouts } from "../../db/schema";
import { configOf, type Env } from "../../env";
import type { PaymentEvent } from "../payments/payment-event";
import { paymentProviderFor } from "../payments/payments.service";
import { driveCheckout } from "./checkout.driver";

const NUDGES: ReadonlySet<PaymentEvent["kind"]> = new Set(["payment.succeeded", "payment.failed", "payment.canceled"]);

/** True when the event was about a checkout waiting for the buyer (then it was driven as far as it goes). */
export async function finishWaitingCheckout(db: Database, event: PaymentEvent, env: Env): Promise<boolean> {
  if (!NUDGES.has(event.kind) || !event.paymentId) return false;
  const byCheckout = event.checkoutId ? eq(checkouts.id, event.checkoutId) : undefined;
  const waiting = await db
    .select()
    .from(checkouts)
    .where(
      and(
        eq(checkouts.state, "requires_action"),
        or(byCheckout, sql`json_extract(${checkouts.nextAction}, '$.paymentId') = ${event.paymentId}`),
      ),
    )
    .get();
  if (!waiting || waiting.nextAction?.paymentId !== event.paymentId) return false;
  await driveCheckout({ db, env, payments: paymentProviderFor(env, configOf(env)) }, waiting, { by: "request" });
  return true;
}
