/**
 * POST /v1/checkout as a service (no HTTP): find the checkout this request already started (a
 * retry after a crash resumes it from its durable state), or price the cart and start one; run
 * the saga; on failure compensate and answer a clear problem. See docs/checkout.md.
 */
import type { Caller } from "../../platform/context";
import { sha256Hex } from "../../platform/crypto";
import { AppError, ConflictError, DependencyError } from "../../platform/errors";
import { isDiscountUsageExhausted } from "../cart/cart-discounts";
import type { IdempotencyClaim } from "../idempotency/idempotency.service";
import { STOCK_GUARD_ERROR } from "../orders/order-create";
import { findLines, findOrder } from "../orders/orders.repository";
import type { OrderView } from "../orders/orders.schemas";
import { toOrderView } from "../orders/orders.views";
import { findLiveCheckout, type CheckoutRow } from "./checkout.repository";
import { compensate, runSaga, snapshotOf, StepFailed, type CheckoutDeps } from "./checkout.saga";
import { startCheckout } from "./checkout.start";

export type { CheckoutDeps } from "./checkout.saga";

export interface CheckoutRequest {
  cartId: string;
  paymentMethod: string;
  caller: Caller | undefined;
  /** The Idempotency-Key claim: it scopes the checkout, and its answer is stored in the order batch. */
  claim: IdempotencyClaim;
  cartTtlMs: number;
}

export async function runCheckout(deps: CheckoutDeps, request: CheckoutRequest): Promise<OrderView> {
  const { db } = deps;
  const requestKey = await sha256Hex(`${request.claim.scope}\n${request.claim.key}`);
  let checkout = await findLiveCheckout(db, requestKey);
  if (checkout?.state === "completed") return completedOrder(deps, checkout);
  // an open payment breaker answers 503 + Retry-After now, before any stock is reserved (issue 14)
  deps.payments.assertAvailable?.();
  if (checkout?.state === "compensating") {
    await compensate(deps, checkout, "compensating", checkout.paymentId, checkout.failure ?? "abandoned");
    checkout = undefined;
  }
  checkout ??= await startCheckout(db, { ...request, requestKey, now: Date.now() });
  try {
    return await runSaga(deps, checkout, request.claim);
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    let compensated = false;
    try {
      compensated = await compensate(deps, checkout, error.state, error.paymentId, failureOf(error.original));
    } catch (undoError) {
      console.error(JSON.stringify({ level: "error", msg: "checkout compensation failed; the sweep retries", checkoutId: checkout.id, error: String(undoError) }));
    }
    throw answerFor(error, checkout, compensated);
  }
}

async function completedOrder(deps: CheckoutDeps, checkout: CheckoutRow): Promise<OrderView> {
  const order = await findOrder(deps.db, snapshotOf(checkout).orderId);
  if (!order) throw new DependencyError({ detail: "This checkout completed but its order cannot be read; retry" });
  return toOrderView(order, await findLines(deps.db, [order.id]));
}

function failureOf(error: unknown): string {
  return (error instanceof AppError ? `${error.status} ${error.detail ?? error.title}` : String(error)).slice(0, 500);
}

/** What the client hears: the step's own 4xx (409 out of stock, 402 declined), or what the compensation means. */
function answerFor(failed: StepFailed, checkout: CheckoutRow, compensated: boolean): Error {
  const { original, state } = failed;
  const refunded = failed.paymentId !== null;
  if (!compensated && refunded) {
    return new DependencyError({ detail: "The order could not be completed; the refund of your payment is pending and will be issued automatically", cause: original });
  }
  if (original instanceof AppError) return original;
  if (state === "charged" && String(original).includes(STOCK_GUARD_ERROR)) {
    const skus = snapshotOf(checkout).lines.map((line) => line.sku);
    return new ConflictError({ detail: "Stock ran out while the payment was processed; the payment was refunded", extensions: { skus }, cause: original });
  }
  if (state === "charged" && isDiscountUsageExhausted(original)) {
    return new ConflictError({ detail: "The discount code was used up meanwhile; the payment was refunded", cause: original });
  }
  return new DependencyError({
    detail: refunded ? "The order could not be saved; the payment was refunded and nothing was ordered. Retry with the same Idempotency-Key." : "The checkout could not be completed; nothing was charged. Retry with the same Idempotency-Key.",
    cause: original,
  });
}
