/**
 * The checkout lifecycle as ONE table, `LIFECYCLE`: each state has one step (checkout.steps.ts), and
 * the step's outcome names the next state. The request, its retry with the same Idempotency-Key and
 * the sweep all run it (checkout.driver.ts). Every move is a compare-and-set: a caller that loses it
 * follows the state the winner left. What each move does and stores, and what is refused before the
 * table: docs/checkout.md, "The checkout lifecycle (one table)".
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
    reserved: "charging", // the reservation id is the checkout id: a retry never holds twice
    out_of_stock: "compensating",
    unavailable: "reserving",
    abandoned: "compensating", // sweep only: the buyer is gone
  },
  charging: {
    charged: "charged", // the payment id is stored WITH the move
    free: "charged", // a zero total: nothing to charge
    declined: "compensating",
    rejected: "compensating", // refused before any unknown outcome; after one, a refusal is unknown
    unknown: "charging", // the same request is re-sent under the same provider key
    gave_up: "compensating", // unknown for longer than GIVE_UP_MS; reconciliation refunds a late charge
    action_required: "requires_action", // 3-D Secure: the buyer must act
  },
  requires_action: {
    charged: "charged", // the provider says the buyer authenticated, never the client
    payment_failed: "requires_action", // the window is open: the buyer may pay with another card
    declined: "compensating",
    waiting: "requires_action",
    unavailable: "requires_action",
    expired: "compensating", // BUYER_ACTION_WINDOW_MS passed; the payment was cancelled first
  },
  charged: { order_written: "completed", order_refused: "compensating", unavailable: "charged" },
  // Refund the stored payment id (or the charge found by checkout id), then release the hold.
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
