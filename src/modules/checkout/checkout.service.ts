/**
 * POST /v1/checkout as a service (no HTTP): claim the key and find the checkout this request
 * already started (a retry resumes it from its durable state) in one round trip, or start one,
 * drive it through the lifecycle table, and turn where it stopped into the answer. See
 * docs/checkout.md for what a client does on each, and for the round trips of the happy path.
 */
import type { Caller } from "../../platform/context";
import { type AppError, ConflictError, DependencyError } from "../../platform/errors";
import type { IdempotencyTicket, StoredAnswer } from "../idempotency/idempotency.service";
import { findLines, findOrder } from "../orders/orders.repository";
import type { OrderView } from "../orders/orders.schemas";
import { toOrderView } from "../orders/orders.views";
import type { CaptureMethod } from "../payments/payment-provider";
import { PaymentOutcomeUnknownError } from "../payments/payments.errors";
import type { Consent } from "./checkout.consent";
import { driveCheckout, type DriveResult } from "./checkout.driver";
import { openCheckout } from "./checkout.open";
import { startCheckout, tooManyHolds } from "./checkout.start";
import { deadlineOf, MAX_LIVE_HOLDS_PER_CLIENT, STUCK_AFTER_MS } from "./checkout.policy";
import { findCheckout, restartCharge, type CheckoutRow } from "./checkout.repository";
import {
  assertBuyerOf,
  awaitsAnotherCard,
  CheckoutExpiredError,
  statusOf,
  type CheckoutStatusView,
} from "./checkout.status";
import { authenticationFailed, snapshotOf, type CheckoutDeps } from "./checkout.steps";

export type { CheckoutDeps } from "./checkout.steps";

export interface CheckoutRequest {
  cartId: string;
  paymentMethod: string;
  /** What the buyer agreed to pay for (If-Match, expectedTotal); checked where the cart is priced for the charge. */
  consent?: Consent;
  caller: Caller | undefined;
  /** The Idempotency-Key: claimed in the first batch, it scopes the checkout, and its answer is stored in the order batch. */
  ticket: IdempotencyTicket;
  cartTtlMs: number;
  /** Where the buyer comes back after authenticating (allow-listed by the handler). */
  returnUrl?: string | undefined;
  /** Who is checking out (`clientKeyOf`: the account, or an anonymous buyer's address): bounds their live holds. */
  clientKey: string;
  /** PAYMENT_CAPTURE as the checkout starts: kept on the row, so every re-send charges the same way. */
  captureMethod: CaptureMethod;
}

/**
 * The order; the checkout waiting for the buyer (202: where to send them); or the answer a request
 * with this key already got (replayed as it was).
 */
export type CheckoutAnswer =
  | { kind: "order"; order: OrderView }
  | { kind: "action"; checkoutId: string; nextAction: NonNullable<CheckoutStatusView["nextAction"]> }
  | { kind: "replay"; answer: StoredAnswer };

export async function runCheckout(deps: CheckoutDeps, request: CheckoutRequest): Promise<CheckoutAnswer> {
  const now = (deps.now ?? Date.now)();
  const opened = await openCheckout(deps.db, request, now);
  if (opened.kind === "replay") return opened;
  // the key is tied to its cart: a key reused (after 24 h) on another cart never finds this checkout
  let checkout = opened.live;
  // a checkout that waited for the buyer ended elsewhere (webhook, sweep, /complete): no request stored
  // its end under this key, so a replay hears it now instead of starting a second payment
  const ended = opened.ended && storedFailure(opened.ended);
  if (!checkout && ended) throw ended;
  if (!checkout) {
    // a new checkout is refused while the payment breaker is open: 503 + Retry-After before any stock is reserved
    deps.payments.assertAvailable?.();
    assertMayHold(request, opened.clientHolds, opened.waitingOnCart);
  }
  checkout ??= await startCheckout(
    deps.db,
    { ...request, requestKey: opened.requestKey, now, replace: replaceWaiting(deps, request) },
    await opened.priced(),
  );
  const result = await driveCheckout(deps, checkout, { by: "request", claim: opened.claim });
  return finished(deps, result);
}

/**
 * Before a new checkout holds stock: one client may hold at most
 * MAX_LIVE_HOLDS_PER_CLIENT live checkouts (429 otherwise: denial of inventory). The same buyer's
 * checkout of this cart that waits for them does not count: the new one replaces it
 * (`replaceWaiting`), once it has passed every check.
 */
function assertMayHold(request: CheckoutRequest, clientHolds: number, waiting: CheckoutRow | undefined): void {
  const replaced = waiting && isSameBuyer(waiting, request) ? 1 : 0;
  // read in the first batch: refuses early, before pricing; the insert enforces it again, atomically
  if (clientHolds - replaced >= MAX_LIVE_HOLDS_PER_CLIENT) throw tooManyHolds();
}

/** The same client (account or address), and for a signed-in checkout the same account. */
const isSameBuyer = (other: CheckoutRow, request: CheckoutRequest) =>
  other.clientKey === request.clientKey && (other.userId === null || other.userId === request.caller?.userId);

/**
 * The buyer closed the bank page and pays another way: their checkout of this cart that still waits
 * is cancelled (its payment first) and its hold released, so the new one need not wait out the
 * window. True when it ended; a buyer who had authenticated meanwhile completes it instead.
 */
function replaceWaiting(deps: CheckoutDeps, request: CheckoutRequest) {
  return async (other: CheckoutRow): Promise<boolean> => {
    if (other.state !== "requires_action" || !isSameBuyer(other, request)) return false;
    const replaced = await driveCheckout(deps, other, { by: "request", supersede: true });
    return replaced.checkout.state === "compensated";
  };
}

/** The order once the checkout completed; where to send the buyer while it waits; otherwise the problem. */
async function finished(deps: CheckoutDeps, result: DriveResult): Promise<Exclude<CheckoutAnswer, { kind: "replay" }>> {
  if (result.checkout.state === "completed")
    return { kind: "order", order: result.order ?? (await completedOrder(deps, snapshotOf(result.checkout).orderId)) };
  const { nextAction } = statusOf(result.checkout);
  if (nextAction) return { kind: "action", checkoutId: result.checkout.id, nextAction };
  throw answerFor(result);
}

/** GET /v1/checkouts/{id}: where its buyer's checkout stands (no provider call: a page polls this). */
export async function checkoutStatus(
  deps: Pick<CheckoutDeps, "db">,
  id: string,
  caller: Caller | undefined,
): Promise<CheckoutStatusView> {
  const checkout = await findCheckout(deps.db, id);
  assertBuyerOf(checkout, caller);
  return statusOf(checkout);
}

/**
 * POST /v1/checkouts/{id}/complete, from the returning browser: asks the PROVIDER (never the
 * client) and drives the checkout as far as it goes. Any number of calls, in any order with the
 * webhook and the sweep: the lifecycle's compare-and-set moves make exactly one order.
 */
export async function completeCheckout(
  deps: CheckoutDeps,
  id: string,
  caller: Caller | undefined,
): Promise<Exclude<CheckoutAnswer, { kind: "replay" }>> {
  const checkout = await findCheckout(deps.db, id);
  assertBuyerOf(checkout, caller);
  return finished(deps, await driveCheckout(deps, checkout, { by: "request" }));
}

/**
 * POST /v1/checkouts/{id}/payment-method: after a failed authentication, while the window is open,
 * the buyer pays with another card on the same checkout — its stock still held, its cart still
 * locked. A new charge under a new key; then the checkout runs as any: 201 the order, 202 another
 * trip to the bank, 402 declined. A second call that lost the race (a double click), or the retry
 * of a call whose answer was lost, follows the checkout where the card it names took it; any other
 * call about a checkout not waiting for another card answers 409.
 */
export async function payWithAnotherMethod(
  deps: CheckoutDeps,
  id: string,
  caller: Caller | undefined,
  change: { paymentMethod: string; returnUrl: string | undefined },
): Promise<Exclude<CheckoutAnswer, { kind: "replay" }>> {
  const checkout = await findCheckout(deps.db, id);
  assertBuyerOf(checkout, caller);
  const now = (deps.now ?? Date.now)();
  const open = awaitsAnotherCard(checkout) && now < (deadlineOf(checkout.state, checkout.createdAt) ?? 0);
  if (!open) {
    const retried = checkout.chargeAttempt > 0 && checkout.paymentMethod === change.paymentMethod;
    if (!awaitsAnotherCard(checkout) && !retried) throw notAwaitingCard(checkout);
    // the same request again (its answer was lost), or the window passed (the sweep's move, made now)
    return finished(deps, await driveCheckout(deps, checkout, { by: "request" }));
  }
  deps.payments.assertAvailable?.();
  const restarted = await restartCharge(
    deps.db,
    id,
    { paymentMethod: change.paymentMethod, returnUrl: change.returnUrl ?? checkout.returnUrl },
    now,
    STUCK_AFTER_MS,
  );
  const current = restarted ?? (await findCheckout(deps.db, id)) ?? checkout;
  if (!restarted && (awaitsAnotherCard(current) || current.paymentMethod !== change.paymentMethod))
    throw notAwaitingCard(current);
  return finished(deps, await driveCheckout(deps, current, { by: "request" }));
}

const notAwaitingCard = (checkout: CheckoutRow) =>
  new ConflictError({
    detail:
      "This checkout is not waiting for another payment method: only a checkout whose authentication failed can, until its window ends",
    extensions: { status: statusOf(checkout).status },
  });

async function completedOrder(deps: CheckoutDeps, orderId: string): Promise<OrderView> {
  const order = await findOrder(deps.db, orderId);
  if (!order)
    throw new DependencyError({
      detail: "This checkout completed but its order cannot be read; retry",
      headers: { "Retry-After": "1" },
    });
  return toOrderView(order, await findLines(deps.db, [order.id]));
}

/** A later call about a checkout that waited for the buyer hears the same final answer as the call that saw it end. */
function storedFailure(checkout: CheckoutRow): AppError | undefined {
  if (checkout.failure?.startsWith("409 checkout-expired")) return new CheckoutExpiredError();
  const declined = /^402 [a-z-]+: The payment was not authenticated \(([a-z_]+)\)/.exec(checkout.failure ?? "");
  if (!declined?.[1]) return undefined;
  return authenticationFailed(
    declined[1],
    awaitsAnotherCard(checkout)
      ? { checkoutId: checkout.id, until: deadlineOf(checkout.state, checkout.createdAt) ?? 0 }
      : undefined,
  );
}

/** Where the checkout stopped, as the client hears it; every answer except a final failure says "retry with the same key". */
function answerFor(result: DriveResult): AppError {
  const { checkout, last, cause } = result;
  const lastError = last && "error" in last ? last.error : undefined;
  switch (checkout.state) {
    case "compensated":
      // final: whatever was charged is refunded. Without this request's own cause (a retry after the
      // compensation ran elsewhere) it is a final 409, never a 5xx without Retry-After (found by test:chaos)
      return (
        cause ??
        storedFailure(checkout) ??
        new ConflictError({
          detail: "The checkout was undone; nothing was charged that is kept. Start a new checkout.",
        })
      );
    case "charging":
      return lastError instanceof PaymentOutcomeUnknownError
        ? lastError
        : new PaymentOutcomeUnknownError("unavailable");
    case "compensating":
      return new DependencyError({
        detail: checkout.paymentId
          ? "The order could not be completed; the refund of your payment is pending and will be issued automatically"
          : "The checkout is being undone; retry with the same Idempotency-Key",
        headers: { "Retry-After": "5" },
        cause,
      });
    default:
      return (
        lastError ??
        storedFailure(checkout) ??
        new DependencyError({
          detail: "The checkout could not be finished yet; retry with the same Idempotency-Key",
          headers: { "Retry-After": "2" },
        })
      );
  }
}
