/**
 * The effect of each lifecycle state (checkout.lifecycle.ts), as a function from the durable row to
 * an outcome. Steps never change the checkout's state themselves (the driver does, with a
 * compare-and-set) and never conclude more than they know: only a definitive "not charged" is a
 * `declined`/`rejected`; anything ambiguous is `unknown`. A SimulatedCrash always passes through.
 */
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { isSimulatedCrash, type Faults } from "../../platform/faults";
import { ConflictError, DependencyError } from "../../platform/errors";
import type { Currency } from "../../platform/money";
import type { ServerTimings } from "../../platform/timing";
import { isDiscountUsageExhausted } from "../discounts/discounts.rules";
import type { IdempotencyClaim } from "../idempotency/idempotency.service";
import { commitStock, releaseStock, reserveStock } from "../inventory/inventory.service";
import { isStockGuardError } from "../orders/order-create";
import { IDEMPOTENCY_KEY_TTL_MS, type ChargeInput, type PaymentProvider } from "../payments/payment-provider";
import { refundOrphanCharge } from "../payments/orphan-refund";
import { PaymentDeclinedError, PaymentOutcomeUnknownError, PaymentRejectedError } from "../payments/payments.errors";

const PAYMENT_OUTCOME_UNKNOWN_SLUG = "payment-outcome-unknown";
import { markStockCommitted, type CheckoutRow } from "./checkout.repository";
import type { CheckoutSnapshot } from "./checkout.schemas";
import type { Outcome } from "./checkout.lifecycle";
import { BUYER_ACTION_WINDOW_MS, GIVE_UP_MS, STOCK_HOLD_MS } from "./checkout.policy";
import { CheckoutExpiredError } from "./checkout.status";
import { writeOrder } from "./checkout.write-order";

export interface CheckoutDeps {
  db: Database;
  env: Pick<Env, "STOCK_LOCK">;
  payments: PaymentProvider;
  timings?: ServerTimings;
  reservationTtlMs?: number;
  /** Test-only crash injection (platform/faults.ts). */
  faults?: Faults;
  /** The clock of give-up and backoff decisions (tests drive time with it). */
  now?: () => number;
  /** Starts work that may finish after the answer (`waitUntil`); inline when absent. */
  background?: (work: () => Promise<unknown>) => void;
}

/** Who runs the step: the sweep abandons a reservation nobody waits for; a request pursues it. */
export interface StepContext {
  by: "request" | "sweep";
  claim?: IdempotencyClaim;
  /** The same buyer started another checkout of this cart: a payment still waiting for them is cancelled now. */
  supersede?: boolean;
}

export const snapshotOf = (checkout: CheckoutRow) => checkout.snapshot as unknown as CheckoutSnapshot;
const itemsOf = (checkout: CheckoutRow) => snapshotOf(checkout).lines.map(({ sku, quantity }) => ({ sku, quantity }));
const clock = (deps: CheckoutDeps) => (deps.now ?? Date.now)();

/**
 * THE charge request of a checkout, built only from what is stored: the request, its retry and the
 * sweep send byte-identical parameters under the same key (a provider refuses a key reused with
 * other parameters).
 */
export const chargeKeyOf = (checkout: Pick<CheckoutRow, "id" | "chargeAttempt">) =>
  checkout.chargeAttempt === 0 ? checkout.id : `${checkout.id}:attempt:${checkout.chargeAttempt}`;

export function chargeRequestOf(checkout: CheckoutRow): ChargeInput {
  const { orderId } = snapshotOf(checkout);
  return {
    amount: checkout.amount,
    currency: checkout.currency as Currency,
    paymentMethod: checkout.paymentMethod,
    // another card after a failed authentication is another charge: a key of its own
    idempotencyKey: chargeKeyOf(checkout),
    description: `Motor order ${orderId}`,
    metadata: { checkoutId: checkout.id, orderId },
    ...(checkout.returnUrl ? { returnUrl: checkout.returnUrl } : {}),
    ...(checkout.captureMethod === "manual" ? { captureMethod: "manual" as const } : {}),
  };
}

function unavailable(detail: string, cause: unknown): Outcome {
  if (isSimulatedCrash(cause)) throw cause;
  return { kind: "unavailable", error: new DependencyError({ detail, cause, headers: { "Retry-After": "2" } }) };
}

async function reserve(deps: CheckoutDeps, checkout: CheckoutRow, context: StepContext): Promise<Outcome> {
  if (context.by === "sweep") return { kind: "abandoned" };
  let reserved;
  try {
    reserved = await reserveStock(
      deps.env,
      checkout.id,
      itemsOf(checkout),
      deps.reservationTtlMs ?? STOCK_HOLD_MS,
      deps.timings,
    );
  } catch (error) {
    return unavailable("Stock could not be reserved right now; retry with the same Idempotency-Key", error);
  }
  if (!reserved.ok)
    return {
      kind: "out_of_stock",
      error: new ConflictError({
        detail: `Out of stock: ${reserved.unavailable.join(", ")}`,
        extensions: { skus: reserved.unavailable },
      }),
    };
  deps.faults?.crash("after_reserve");
  return { kind: "reserved" };
}

async function charge(deps: CheckoutDeps, checkout: CheckoutRow): Promise<Outcome> {
  if (checkout.amount === 0) return { kind: "free" };
  // the provider may have forgotten the key: a re-send could charge again, so only look up what it has
  if (clock(deps) - checkout.createdAt >= IDEMPOTENCY_KEY_TTL_MS) return chargeAfterKeyExpired(deps, checkout);
  try {
    const result = await deps.payments.charge(chargeRequestOf(checkout));
    deps.faults?.crash("after_charge");
    if (result.status === "requires_action")
      return { kind: "action_required", action: { paymentId: result.paymentId, ...result.nextAction } };
    return { kind: "charged", paymentId: result.paymentId };
  } catch (error) {
    if (isSimulatedCrash(error)) throw error;
    if (error instanceof PaymentDeclinedError) return { kind: "declined", error };
    // after an unknown outcome a refusal of the re-send (a 429, a key error) says nothing about the first request
    if (error instanceof PaymentRejectedError && !sawUnknownOutcome(checkout)) return { kind: "rejected", error };
    // anything else (unknown outcome, an unexpected fault) may have charged: never conclude "not charged"
    const unknown =
      error instanceof PaymentOutcomeUnknownError
        ? error
        : new PaymentOutcomeUnknownError("unavailable", "The payment call failed unexpectedly", error);
    if (clock(deps) - checkout.createdAt < GIVE_UP_MS) return { kind: "unknown", error: unknown };
    return {
      kind: "gave_up",
      error: new DependencyError({
        detail:
          "The payment's outcome could not be learned in time; the stock was released and any charge that " +
          "appears will be refunded. Start a new checkout.",
        cause: error,
      }),
    };
  }
}

/**
 * Past IDEMPOTENCY_KEY_TTL_MS: the checkout's charge is looked up by checkout id, never re-sent; none found → give up
 * (reconciliation refunds a late one).
 */
async function chargeAfterKeyExpired(deps: CheckoutDeps, checkout: CheckoutRow): Promise<Outcome> {
  let found;
  try {
    found = deps.payments.findCharge ? await deps.payments.findCharge(checkout.id) : null;
  } catch (error) {
    if (isSimulatedCrash(error)) throw error;
    return {
      kind: "unknown",
      error: new PaymentOutcomeUnknownError("unavailable", "The payment could not be looked up", error),
    };
  }
  if (found?.status === "succeeded") return { kind: "charged", paymentId: found.paymentId };
  return {
    kind: "gave_up",
    error: new DependencyError({
      detail:
        "The payment's outcome could not be learned in time; the stock was released and any charge that " +
        "appears will be refunded. Start a new checkout.",
    }),
  };
}

/** The decline code rides in the detail (stored on the row), so a later call can answer the same 402. */
/**
 * 402 for a failed authentication; while the checkout may still take another card, it names the
 * checkout and until when (POST /v1/checkouts/{id}/payment-method), so a client needs no extra read.
 */
export const authenticationFailed = (declineCode: string, retry?: { checkoutId: string; until: number }) =>
  new PaymentDeclinedError(
    declineCode,
    `The payment was not authenticated (${declineCode}); nothing was charged. Try another payment method.`,
    retry ? { checkoutId: retry.checkoutId, retryUntil: new Date(retry.until).toISOString() } : {},
  );

/**
 * A checkout waiting for the buyer (3-D Secure) is finished from what the PROVIDER says, never from
 * the client: the returning browser, the webhook and the sweep all land here. Past the window the
 * payment is cancelled before the stock is released — and if the buyer authenticated first, the
 * cancel answers `succeeded` and the checkout goes on to its order.
 */
async function awaitBuyer(deps: CheckoutDeps, checkout: CheckoutRow, context: StepContext): Promise<Outcome> {
  const action = checkout.nextAction;
  if (!action) throw new Error(`checkout ${checkout.id} waits for the buyer but stores no payment`);
  const expired = context.supersede === true || clock(deps) - checkout.createdAt >= BUYER_ACTION_WINDOW_MS;
  let state;
  try {
    if (!deps.payments.retrieveCharge || !deps.payments.cancelCharge)
      throw new Error(`the ${deps.payments.name} provider cannot finish a payment that waits for the buyer`);
    state = await deps.payments.retrieveCharge(action.paymentId);
    // a failed authentication leaves Stripe's payment open for another card (`requires_payment_method`):
    // it is cancelled before the hold is released, so nothing can be captured for this checkout later
    if ((expired && state.status === "requires_action") || state.status === "failed") {
      const failed = state;
      state = await deps.payments.cancelCharge(action.paymentId);
      if (state.status === "canceled" && failed.status === "failed") state = failed;
    }
  } catch (error) {
    return unavailable("The payment's authentication could not be checked right now; retry", error);
  }
  if (state.status === "succeeded") return { kind: "charged", paymentId: state.paymentId };
  if (state.status === "failed") {
    const code = state.declineCode ?? "authentication_failed";
    // the window is open: the hold stays, and the buyer may try another card on this checkout
    if (expired) return { kind: "declined", error: authenticationFailed(code) };
    return {
      kind: "payment_failed",
      error: authenticationFailed(code, {
        checkoutId: checkout.id,
        until: checkout.createdAt + BUYER_ACTION_WINDOW_MS,
      }),
    };
  }
  if (state.status === "canceled")
    return { kind: "expired", error: new CheckoutExpiredError(context.supersede ? "replaced" : "window") };
  // `processing` (the buyer authenticated; the bank settles it): it may still capture, so it is never
  // released as expired — its hold is renewed and the sweep keeps asking until succeeded or failed
  if (state.status === "processing") await renewHold(deps, checkout);
  return { kind: "waiting", action };
}

/** Re-reserving under the checkout's id moves the hold's expiry (the same id never holds twice); best effort. */
async function renewHold(deps: CheckoutDeps, checkout: CheckoutRow): Promise<void> {
  try {
    await reserveStock(deps.env, checkout.id, itemsOf(checkout), STOCK_HOLD_MS, deps.timings);
  } catch (error) {
    if (isSimulatedCrash(error)) throw error;
  }
}

async function createOrder(deps: CheckoutDeps, checkout: CheckoutRow, context: StepContext): Promise<Outcome> {
  const snapshot = snapshotOf(checkout);
  let order;
  try {
    deps.faults?.fail("fail:order_batch");
    order = await writeOrder(
      deps,
      checkout,
      snapshot,
      { provider: checkout.paymentId ? deps.payments.name : null, paymentId: checkout.paymentId },
      context.claim,
      clock(deps),
    );
  } catch (error) {
    if (isStockGuardError(error)) {
      return {
        kind: "order_refused",
        error: new ConflictError({
          detail: "Stock ran out while the payment was processed; the payment is refunded",
          extensions: { skus: snapshot.lines.map((line) => line.sku) },
          cause: error,
        }),
      };
    }
    if (isDiscountUsageExhausted(error))
      return {
        kind: "order_refused",
        error: new ConflictError({
          detail: "The discount code was used up meanwhile; the payment is refunded",
          cause: error,
        }),
      };
    return unavailable(
      "The order could not be saved yet; your payment is safe. Retry with the same Idempotency-Key.",
      error,
    );
  }
  deps.faults?.crash("after_order_batch");
  return { kind: "order_written", order };
}

/** The row remembers an unknown outcome of its charge (stored by the driver when it defers the row). */
export const sawUnknownOutcome = (checkout: CheckoutRow) =>
  checkout.failure?.startsWith(`503 ${PAYMENT_OUTCOME_UNKNOWN_SLUG}`) === true;

/**
 * A checkout compensated without a payment id may still have been charged when its charge was
 * ever unknown (gave up, or a refusal of a re-send: their failures are 503s): the provider is asked
 * by checkout id first, and a charge it shows is refunded like a stored one.
 */
async function chargeToRefund(deps: CheckoutDeps, checkout: CheckoutRow): Promise<string | null> {
  if (checkout.paymentId) return checkout.paymentId;
  if (checkout.amount === 0 || !checkout.failure?.startsWith("503 ") || !deps.payments.findCharge) return null;
  const found = await deps.payments.findCharge(checkout.id);
  return found && found.status === "succeeded" ? found.paymentId : null;
}

async function compensate(deps: CheckoutDeps, checkout: CheckoutRow): Promise<Outcome> {
  let paymentId: string | null;
  try {
    paymentId = await chargeToRefund(deps, checkout);
  } catch (error) {
    return unavailable("The checkout's payment could not be looked up yet; it will be undone automatically", error);
  }
  if (paymentId) {
    try {
      // the one request every path sends for a charge no order keeps (payments/orphan-refund.ts)
      await refundOrphanCharge(deps.payments, { paymentId, checkoutId: checkout.id, amount: checkout.amount });
    } catch (error) {
      return unavailable("The refund of your payment is pending and will be issued automatically", error);
    }
  }
  deps.faults?.crash("mid_compensation");
  try {
    await releaseStock(deps.env, checkout.id, itemsOf(checkout), deps.timings);
  } catch (error) {
    return unavailable("The checkout could not be undone yet; it will be finished automatically", error);
  }
  return { kind: "compensated" };
}

/** Ends the reservation of a written order; `on_hand` is already lower, so a lost commit only delays this. */
export async function commitCheckoutStock(deps: CheckoutDeps, checkout: CheckoutRow): Promise<Outcome> {
  await commitStock(deps.env, checkout.id, itemsOf(checkout), deps.timings);
  deps.faults?.crash("after_commit");
  await markStockCommitted(deps.db, checkout.id, clock(deps));
  return { kind: "stock_committed" };
}

type Step = (deps: CheckoutDeps, checkout: CheckoutRow, context: StepContext) => Promise<Outcome>;

export const STEPS: Record<"reserving" | "charging" | "requires_action" | "charged" | "compensating", Step> = {
  reserving: reserve,
  charging: charge,
  requires_action: awaitBuyer,
  charged: createOrder,
  compensating: compensate,
};
