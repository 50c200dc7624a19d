/**
 * A checkout as its buyer sees it: `GET /v1/checkouts/{id}`, the 202 of a checkout that
 * waits for the buyer, and `POST /v1/checkouts/{id}/complete`. Internal states map onto five: the
 * page polls until `completed` (with the order id) or a final `failed` / `expired`.
 */
import type { CheckoutAction } from "../../db/schema";
import type { NextAction } from "../payments/payment-provider";
import { AppError, NotFoundError } from "../../platform/errors";
import type { Caller } from "../../platform/context";
import type { CheckoutRow } from "./checkout.repository";
import { deadlineOf } from "./checkout.policy";

export type CheckoutStatus = "requires_action" | "processing" | "completed" | "failed" | "expired";

/** Final, no Retry-After: the buyer did not authenticate within the window (or started another checkout); the payment was cancelled. */
export class CheckoutExpiredError extends AppError {
  readonly status = 409;
  readonly slug = "checkout-expired";
  readonly title = "The checkout expired";
  constructor(why: "window" | "replaced" = "window") {
    super({
      detail:
        why === "window"
          ? "The payment was not authenticated in time; nothing was charged and the stock was released. Start a new checkout."
          : "The buyer started another checkout of this cart; this payment was cancelled before it was authenticated, nothing was charged.",
    });
  }
}

export interface CheckoutStatusView {
  id: string;
  status: CheckoutStatus;
  orderId?: string;
  /** While `requires_action`: how the buyer authenticates. */
  nextAction?: NextAction;
  /** When `failed` or `expired`: why, in plain words. */
  detail?: string;
  /** When `failed` but another card may still be tried on this checkout (POST …/payment-method): until when (ISO). */
  retryUntil?: string;
}

/** A checkout whose authentication failed while the window is open: it holds the stock and waits for another card. */
export const awaitsAnotherCard = (checkout: Pick<CheckoutRow, "state" | "failure">) =>
  checkout.state === "requires_action" && checkout.failure?.startsWith("402 ") === true;

const nextActionOf = ({ paymentId: _paymentId, ...action }: CheckoutAction): NextAction => action;

/** The failure stored on the row: `<status> <slug>: <detail>`. */
const failureDetail = (failure: string | null) => failure?.replace(/^\d{3} [a-z-]+: /, "");

export function statusOf(checkout: CheckoutRow): CheckoutStatusView {
  const base = { id: checkout.id };
  if (checkout.state === "completed")
    return { ...base, status: "completed", ...(checkout.orderId ? { orderId: checkout.orderId } : {}) };
  const detail = failureDetail(checkout.failure);
  if (awaitsAnotherCard(checkout))
    return {
      ...base,
      status: "failed",
      ...(detail ? { detail } : {}),
      retryUntil: new Date(deadlineOf(checkout.state, checkout.createdAt) ?? 0).toISOString(),
    };
  if (checkout.state === "requires_action" && checkout.nextAction)
    return { ...base, status: "requires_action", nextAction: nextActionOf(checkout.nextAction) };
  if (checkout.state === "compensated") {
    const expired = checkout.failure?.startsWith("409 checkout-expired") === true;
    return { ...base, status: expired ? "expired" : "failed", ...(detail ? { detail } : {}) };
  }
  return { ...base, status: "processing" };
}

/**
 * Only its buyer sees a checkout: the signed-in user who started it, or — for an anonymous
 * checkout — whoever holds its id (handed only to the client that started it, like a cart's id).
 * Anyone else gets the same 404 as for an id that does not exist.
 */
export function assertBuyerOf(
  checkout: CheckoutRow | undefined,
  caller: Caller | undefined,
): asserts checkout is CheckoutRow {
  if (!checkout || (checkout.userId !== null && checkout.userId !== caller?.userId))
    throw new NotFoundError({ detail: "No such checkout" });
}
