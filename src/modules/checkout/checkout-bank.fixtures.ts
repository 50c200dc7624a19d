/**
 * What the provider does on its own while the money-safety harness drives a purchase to quiescence:
 * a payment that waits for the buyer is authenticated on the bank's page; its
 * webhooks arrive as Stripe's do — `payment_intent.succeeded` (`amount_capturable_updated` for an
 * authorisation) before the order exists and again (a redelivery under the same event id), then a
 * late `payment_failed` for a charge that succeeded — and the bank fails the first pending refund of a
 * `pm_card_refundPendingFails` charge, with its `refund.failed`. Sent signed through the real
 * webhook route, so deduplication and signature checks are on the path too.
 */
import { env, exports } from "cloudflare:workers";
import { and, eq, inArray, ne } from "drizzle-orm";
import { BASE_URL, callJson } from "../../../test/helpers/http";
import { checkouts, testProviderCharges, testProviderRefunds } from "../../db/schema";
import { newId } from "../../platform/ids";
import { authenticationPath, TEST_SIGNATURE_HEADER, TestPaymentProvider } from "../payments/test-provider";
import { deliverTestProviderEvent, paymentEventBody } from "../payments/test-provider.events";
import { signWebhookPayload } from "../payments/webhook-signature";
import { checkoutDb as db } from "./checkout.fixtures";
import type { Purchase } from "./checkout-money-safety.fixtures";

async function deliver(id: string, type: string, object: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify({ id, object: "event", type, data: { object } });
  const signature = await signWebhookPayload(env.TEST_PAYMENT_WEBHOOK_SECRET ?? "", body);
  const { status } = await callJson("/v1/webhooks/payments/test", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", [TEST_SIGNATURE_HEADER]: signature },
  });
  if (status !== 200) throw new Error(`the webhook ${type} answered ${status}`);
}

async function chargesOf(purchase: Purchase) {
  const ids = (
    await db().select({ id: checkouts.id }).from(checkouts).where(eq(checkouts.cartId, purchase.cartId)).all()
  ).map((row) => row.id);
  return ids.length
    ? db()
        .select()
        .from(testProviderCharges)
        .where(and(inArray(testProviderCharges.checkoutId, ids), ne(testProviderCharges.status, "declined")))
        .all()
    : [];
}

/**
 * How a payment that waits for the buyer is finished, named in the matrix's token as
 * `<token>~<ordering>`: the bank's webhook before the browser is back, the browser first and the
 * webhook late, the webhook twice, the webhook never (the sweep asks the provider), or a buyer who
 * never authenticates (the sweep cancels it once the window passed). The browser's complete carries
 * the combination's crash point too.
 */
export const ACTION_ORDERINGS = [
  "webhook-first",
  "browser-first",
  "webhook-twice",
  "webhook-never",
  "abandoned",
] as const;
export type ActionOrdering = (typeof ACTION_ORDERINGS)[number];

const bankPage = (paymentId: string, webhook: string) =>
  exports.default.fetch(
    new Request(`${BASE_URL}${authenticationPath(paymentId)}/complete?webhook=${webhook}`, {
      method: "POST",
      redirect: "manual",
    }),
  );

/** The returning browser: POST complete, retried on a 5xx or a dropped answer as a client would. */
async function completeFromBrowser(checkoutId: string, fault: string | undefined): Promise<void> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const headers = attempt === 0 && fault ? { "Motor-Test-Fault": fault } : undefined;
    const { status } = await callJson(`/v1/checkouts/${checkoutId}/complete`, {
      method: "POST",
      ...(headers ? { headers } : {}),
    }).catch(() => ({ status: 500 }));
    if (status < 500) return;
  }
}

async function authenticateWaiting(purchase: Purchase): Promise<void> {
  const ordering = purchase.ordering ?? "webhook-first";
  for (const charge of await chargesOf(purchase)) {
    if (charge.status !== "requires_action" || !charge.checkoutId || ordering === "abandoned") continue;
    const page = await bankPage(
      charge.id,
      ordering === "browser-first" || ordering === "webhook-never" ? "never" : "before",
    );
    // 303 back to the return URL; 200 "return to the shop" when the checkout named none
    if (page.status !== 303 && page.status !== 200) throw new Error(`the authentication page answered ${page.status}`);
    const decided = await new TestPaymentProvider(db(), env.TEST_PAYMENT_WEBHOOK_SECRET).describeCharge(charge.id);
    if (!decided) throw new Error(`no charge ${charge.id}`);
    if (ordering === "webhook-twice") await deliverTestProviderEvent(env, paymentEventBody(decided));
    if (ordering === "webhook-first" || ordering === "browser-first")
      await completeFromBrowser(charge.checkoutId, purchase.fault);
    if (ordering === "browser-first") await deliverTestProviderEvent(env, paymentEventBody(decided));
  }
}

/**
 * Before the first recovery round: a waiting payment authenticated; every charge's success, twice,
 * whether or not its order exists yet — for a manual-capture payment, as Stripe says it was
 * authorised (`amount_capturable_updated`, `requires_capture`), even when it arrives after a void.
 */
export async function earlyEvents(purchase: Purchase): Promise<void> {
  await authenticateWaiting(purchase);
  for (const charge of await chargesOf(purchase)) {
    const manual = charge.captureMethod === "manual";
    const event = {
      id: charge.id,
      object: "payment_intent",
      amount: charge.amount,
      currency: "eur",
      status: manual ? "requires_capture" : "succeeded",
      metadata: { motor_checkout_id: charge.checkoutId },
    };
    const type = manual ? "payment_intent.amount_capturable_updated" : "payment_intent.succeeded";
    const id = newId("evt");
    await deliver(id, type, event);
    await deliver(id, type, event);
  }
}

/** After it: a failure for every charge that succeeded (it must change nothing), and the bank fails a pending refund. */
export async function lateEvents(purchase: Purchase): Promise<void> {
  const bank = new TestPaymentProvider(db(), undefined);
  for (const charge of await chargesOf(purchase)) {
    await deliver(newId("evt"), "payment_intent.payment_failed", {
      id: charge.id,
      object: "payment_intent",
      amount: charge.amount,
      currency: "eur",
      status: "requires_payment_method",
    });
    if (charge.paymentMethod !== "pm_card_refundPendingFails") continue;
    const refunds = await db()
      .select()
      .from(testProviderRefunds)
      .where(eq(testProviderRefunds.paymentId, charge.id))
      .all();
    const first = refunds[0];
    if (refunds.length !== 1 || first?.status !== "pending" || !(await bank.failRefund(first.id))) continue;
    await deliver(newId("evt"), "refund.failed", {
      id: first.id,
      object: "refund",
      status: "failed",
      amount: first.amount,
      currency: "eur",
      payment_intent: charge.id,
    });
  }
}
