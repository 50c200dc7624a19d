/**
 * The checkout lifecycle, in ONE table, run by every caller: the request, its retry with the same
 * Idempotency-Key, and the sweep. Each state has one step; the step's outcome picks the next state.
 *
 *   state         step              outcome           → next          effect / what it stores
 *   reserving     reserve stock     reserved          → charging      StockLock holds (reservation id = checkout id)
 *                                   out_of_stock      → compensating  409 naming the SKUs
 *                                   unavailable       → reserving     503; a retry re-reserves (same id: no double hold)
 *                                   abandoned         → compensating  (sweep only) the buyer is gone
 *   charging      charge            charged           → charged       money taken; the payment id is stored WITH the move
 *                                   free              → charged       a zero total: nothing to charge (docs/checkout.md)
 *                                   declined          → compensating  402; nothing was charged
 *                                   rejected          → compensating  the provider refused our request; nothing charged
 *                                                                     (only before any unknown outcome: once one was
 *                                                                     seen, a refusal — a 429 always — is unknown)
 *                                   unknown           → charging      503 + Retry-After; stock stays held; the same
 *                                                                     request is re-sent under the same provider key
 *                                                                     (past 24 h looked up by checkout id, never re-sent)
 *                                   gave_up           → compensating  unknown for longer than GIVE_UP_MS: release;
 *                                                                     reconciliation refunds a charge that shows up later
 *                                   action_required   → requires_action  the provider needs the buyer (3-D Secure): stores
 *                                                                     the waiting payment and where the buyer goes; 202
 *   requires_action  ask the provider  charged         → charged       the buyer authenticated (the provider says so, never
 *                                                                     the client): the payment id is stored WITH the move
 *                                   payment_failed    → requires_action  402: the authentication failed (the payment is
 *                                                                     cancelled, nothing captured) while the window is
 *                                                                     open: stock stays held, and the buyer may pay with
 *                                                                     another card — POST …/payment-method moves the row
 *                                                                     to `charging` with a new charge key (the only move
 *                                                                     made outside the table: the buyer's, guarded)
 *                                   declined          → compensating  402: the authentication failed and the window passed
 *                                   waiting           → requires_action  202 again; stock stays held
 *                                   unavailable       → requires_action  503: the provider could not be asked now
 *                                   expired           → compensating  the window (BUYER_ACTION_WINDOW_MS) passed: the
 *                                                                     payment was cancelled first (if the buyer won that
 *                                                                     race the outcome is `charged` instead)
 *   charged       write the order   order_written     → completed     ONE D1 batch: order, lines, stock, discount, cart,
 *                                                                     the key's answer, events
 *                                   order_refused     → compensating  a guard refused it (stock gone, code used up)
 *                                   unavailable       → charged       503; a retry or the sweep writes it later
 *   compensating  refund + release  compensated       → compensated   refund of the stored payment id — or, after an
 *                                                                     unknown outcome, of the charge the provider shows
 *                                                                     for the checkout id — then release the hold; the
 *                                                                     refund is orphan-refund.ts's one request (key
 *                                                                     <checkout>:refund; after a failed refund a new key)
 *                                   unavailable       → compensating  503 "refund pending"; the sweep retries (backoff)
 *   completed     commit stock      stock_committed   → completed     the reservation ends (off the response path)
 *   compensated   —                 (final)
 *
 * Before the table, `startCheckout` refuses without writing a row (so nothing is reserved or
 * charged): a cart that cannot be checked out (422), a cart that is not the one the buyer agreed
 * to (409 price-changed, checkout.consent.ts) — compared on the total stored as the row's amount —,
 * and a cart another checkout (another key) already holds or completed (409, with Retry-After while
 * that checkout can still finish). While a checkout is live its cart refuses edits (409
 * checkout-in-progress, cart-lock.ts), so the order is always the cart the buyer agreed to.
 *
 * A state change is a compare-and-set; a caller that loses it reloads the row and follows the
 * state the winner left, so two callers never both act on one state.
 */
import type { CheckoutAction, CheckoutState } from "../../db/schema";
import type { AppError } from "../../platform/errors";
import type { OrderView } from "../orders/orders.schemas";

export type Outcome =
  | { kind: "reserved" }
  | { kind: "out_of_stock"; error: AppError }
  | { kind: "abandoned" }
  | { kind: "charged"; paymentId: string }
  | { kind: "free" }
  | { kind: "declined"; error: AppError }
  | { kind: "rejected"; error: AppError }
  | { kind: "unknown"; error: AppError }
  | { kind: "gave_up"; error: AppError }
  | { kind: "action_required"; action: CheckoutAction }
  | { kind: "waiting"; action: CheckoutAction }
  | { kind: "payment_failed"; error: AppError }
  | { kind: "expired"; error: AppError }
  | { kind: "order_written"; order: OrderView }
  | { kind: "order_refused"; error: AppError }
  | { kind: "unavailable"; error: AppError }
  | { kind: "compensated" }
  | { kind: "stock_committed" };

export type OutcomeKind = Outcome["kind"];

export const LIFECYCLE: Readonly<Record<CheckoutState, Partial<Record<OutcomeKind, CheckoutState>>>> = {
  reserving: {
    reserved: "charging",
    out_of_stock: "compensating",
    unavailable: "reserving",
    abandoned: "compensating",
  },
  charging: {
    charged: "charged",
    free: "charged",
    declined: "compensating",
    rejected: "compensating",
    unknown: "charging",
    gave_up: "compensating",
    action_required: "requires_action",
  },
  requires_action: {
    charged: "charged",
    payment_failed: "requires_action",
    declined: "compensating",
    waiting: "requires_action",
    unavailable: "requires_action",
    expired: "compensating",
  },
  charged: { order_written: "completed", order_refused: "compensating", unavailable: "charged" },
  compensating: { compensated: "compensated", unavailable: "compensating" },
  completed: { stock_committed: "completed" },
  compensated: {},
};

/** The state an outcome leads to; an outcome the table does not list for the state is a bug. */
export function nextState(state: CheckoutState, outcome: OutcomeKind): CheckoutState {
  const next = LIFECYCLE[state][outcome];
  if (!next) throw new Error(`checkout lifecycle: ${outcome} is not an outcome of ${state}`);
  return next;
}
