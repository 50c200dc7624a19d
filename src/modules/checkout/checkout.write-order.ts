/**
 * The saga's commit point: ONE D1 batch (D1's only transaction) writes the order, its lines, the
 * on-hand decrement (guarded, never negative), the discount redemption (guarded by its usage
 * limit), the cart's checked-out mark, the checkout's `completed` state, the Idempotency-Key's
 * answer and the `order.created` / `order.paid` events. Either all of it exists or none of it.
 * Given a checkout still `charging` (the charge just succeeded), the batch opens with the move
 * into `charged` that stores the payment id: the order's guard then reads that move, and a batch
 * that fails takes the move with it (the driver then stores the payment id on its own).
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { AddressSnapshot } from "../../db/schema";
import { completeStatement, type IdempotencyClaim } from "../idempotency/idempotency.service";
import { discountRedemptionStatements } from "../discounts/discounts.rules";
import { updateCartStatement } from "../cart/cart.repository";
import { createOrderStatements } from "../orders/order-create";
import { toOrderView } from "../orders/orders.views";
import type { OrderView } from "../orders/orders.schemas";
import type { CheckoutRow } from "./checkout.repository";
import { moveStatement } from "./checkout.repository";
import { STUCK_AFTER_MS } from "./checkout.policy";
import type { CheckoutSnapshot } from "./checkout.schemas";
import type { CheckoutDeps } from "./checkout.steps";

/** Who was paid: null for a free order (a zero total charges nothing). */
export interface OrderPayment {
  provider: string | null;
  paymentId: string | null;
}

/** The 201 answer, built from the snapshot so that the stored (replayed) answer is byte-identical. */
export function orderViewOf(
  checkout: CheckoutRow,
  snapshot: CheckoutSnapshot,
  payment: OrderPayment,
  at: number,
): OrderView {
  return toOrderView(
    {
      id: snapshot.orderId,
      userId: snapshot.userId,
      email: snapshot.email,
      currency: snapshot.currency,
      subtotal: snapshot.subtotal,
      discount: snapshot.discount,
      shipping: snapshot.shipping,
      tax: snapshot.tax,
      taxInclusive: snapshot.taxInclusive,
      total: snapshot.total,
      discountCode: snapshot.discountCode,
      shippingAddress: snapshot.shippingAddress as AddressSnapshot | null,
      billingAddress: snapshot.billingAddress ?? null,
      status: "paid",
      paymentProvider: payment.provider,
      paymentId: payment.paymentId,
      checkoutId: checkout.id,
      createdAt: at,
      updatedAt: at,
      // the buyer's view shows none of the authorisation's bookkeeping
      captureMethod: checkout.captureMethod,
      paymentStatus: null,
      amountCaptured: null,
      authorizationExpiresAt: null,
      authorizationWarnedAt: null,
      paymentAttempts: 0,
      paymentNextAttemptAt: null,
      paymentLastError: null,
    },
    snapshot.lines,
  );
}

export async function writeOrder(
  deps: Pick<CheckoutDeps, "db">,
  checkout: CheckoutRow,
  snapshot: CheckoutSnapshot,
  payment: OrderPayment,
  claim: IdempotencyClaim | undefined,
  at: number,
): Promise<OrderView> {
  const { db } = deps;
  const view = orderViewOf(checkout, snapshot, payment, at);
  const answer = { status: 201, headers: { "content-type": "application/json" }, body: JSON.stringify(view) };
  const statements: BatchItem<"sqlite">[] = [
    // the move into `charged` (from charging, or from requires_action once the buyer authenticated) rides in this batch
    ...(checkout.state === "charging" || checkout.state === "requires_action"
      ? [
          moveStatement(
            db,
            checkout.id,
            checkout.state,
            "charged",
            { paymentId: payment.paymentId },
            at,
            STUCK_AFTER_MS,
          ),
        ]
      : []),
    ...createOrderStatements(db, {
      ...snapshot,
      id: snapshot.orderId,
      checkoutId: checkout.id,
      shippingAddress: snapshot.shippingAddress as AddressSnapshot | null,
      paymentProvider: payment.provider,
      paymentId: payment.paymentId,
      at,
      // the charge was made after the checkout started: its expiry counted from then errs early, never late
      captureMethod: checkout.captureMethod,
      authorizedSince: checkout.createdAt,
    }),
    ...(snapshot.discountCode
      ? discountRedemptionStatements(db, {
          code: snapshot.discountCode,
          orderId: snapshot.orderId,
          userId: snapshot.userId,
          email: snapshot.email,
          amount: snapshot.discount,
          currency: snapshot.currency,
          now: at,
        })
      : []),
    updateCartStatement(db, checkout.cartId, { status: "checked_out", updatedAt: at }),
    moveStatement(db, checkout.id, "charged", "completed", {}, at, STUCK_AFTER_MS),
    ...(claim ? [completeStatement(db, claim, answer)] : []),
  ];
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  if (claim) claim.stored = true;
  return view;
}
