/**
 * POST /v1/checkout as a service (no HTTP): find the checkout this request already started (a
 * retry resumes it from its durable state) or start one, drive it through the lifecycle table, and
 * turn where it stopped into the answer. See docs/checkout.md for what a client does on each.
 */
import type { Caller } from "../../platform/context";
import { sha256Hex } from "../../platform/crypto";
import { type AppError, DependencyError } from "../../platform/errors";
import type { IdempotencyClaim } from "../idempotency/idempotency.service";
import { findLines, findOrder } from "../orders/orders.repository";
import type { OrderView } from "../orders/orders.schemas";
import { toOrderView } from "../orders/orders.views";
import { PaymentOutcomeUnknownError } from "../payments/payments.errors";
import { driveCheckout, type DriveResult } from "./checkout.driver";
import { findLiveCheckout } from "./checkout.repository";
import { startCheckout } from "./checkout.start";
import { snapshotOf, type CheckoutDeps } from "./checkout.steps";

export type { CheckoutDeps } from "./checkout.steps";

export interface CheckoutRequest {
  cartId: string;
  paymentMethod: string;
  caller: Caller | undefined;
  /** The Idempotency-Key claim: it scopes the checkout, and its answer is stored in the order batch. */
  claim: IdempotencyClaim;
  cartTtlMs: number;
}

export async function runCheckout(deps: CheckoutDeps, request: CheckoutRequest): Promise<OrderView> {
  const now = (deps.now ?? Date.now)();
  const requestKey = await sha256Hex(`${request.claim.scope}\n${request.claim.key}`);
  // the key is tied to its cart: a key reused (after 24 h) on another cart never finds this checkout
  const checkout = (await findLiveCheckout(deps.db, requestKey, request.cartId)) ?? (await startCheckout(deps.db, { ...request, requestKey, now }));
  const result = await driveCheckout(deps, checkout, { by: "request", claim: request.claim });
  if (result.checkout.state === "completed") return result.order ?? completedOrder(deps, snapshotOf(result.checkout).orderId);
  throw answerFor(result);
}

async function completedOrder(deps: CheckoutDeps, orderId: string): Promise<OrderView> {
  const order = await findOrder(deps.db, orderId);
  if (!order) throw new DependencyError({ detail: "This checkout completed but its order cannot be read; retry", headers: { "Retry-After": "1" } });
  return toOrderView(order, await findLines(deps.db, [order.id]));
}

/** Where the checkout stopped, as the client hears it; every answer except a final failure says "retry with the same key". */
function answerFor(result: DriveResult): AppError {
  const { checkout, last, cause } = result;
  const lastError = last && "error" in last ? last.error : undefined;
  switch (checkout.state) {
    case "compensated":
      return cause ?? new DependencyError({ detail: "The checkout was undone; nothing was charged that is kept. Start a new checkout." });
    case "charging":
      return lastError instanceof PaymentOutcomeUnknownError ? lastError : new PaymentOutcomeUnknownError("unavailable");
    case "compensating":
      return new DependencyError({
        detail: checkout.paymentId ? "The order could not be completed; the refund of your payment is pending and will be issued automatically" : "The checkout is being undone; retry with the same Idempotency-Key",
        headers: { "Retry-After": "5" },
        cause,
      });
    default:
      return lastError ?? new DependencyError({ detail: "The checkout could not be finished yet; retry with the same Idempotency-Key", headers: { "Retry-After": "2" } });
  }
}
