/**
 * How a payment call can fail, as the rest of Motor sees it; what matters for money safety is whether
 * money may have moved:
 * - PaymentDeclinedError (402): the buyer's payment was refused; nothing charged.
 * - PaymentRejectedError (503): the provider refused OUR request (bad key, invalid parameters) before
 *   acting; nothing charged.
 * - PaymentOutcomeUnknownError (503): we do not know (timeout, network, 5xx, key in use, processing, a
 *   429 answered before the key is looked at); only the same request under the same key learns it.
 */
import { AppError, DependencyError, PaymentRequiredError } from "../../platform/errors";

/** Why the provider refused: Stripe's decline codes, e.g. `card_declined`, `insufficient_funds`. */
export class PaymentDeclinedError extends PaymentRequiredError {
  readonly declineCode: string;

  constructor(
    declineCode: string,
    detail = "The payment method was declined",
    extensions: Record<string, unknown> = {},
  ) {
    super({ detail, extensions: { declineCode, ...extensions } });
    this.declineCode = declineCode;
  }
}

/** The provider refused the request itself (authentication, invalid parameters): nothing was charged. */
export class PaymentRejectedError extends DependencyError {
  constructor(detail = "The payment provider refused the request", cause?: unknown) {
    super({ detail, cause, headers: { "Retry-After": "5" } });
  }
}

/** Seconds a client should wait before re-sending a checkout whose payment outcome is unknown. */
export const UNKNOWN_OUTCOME_RETRY_AFTER_S = 5;

/** Money may or may not have moved. Never compensate on this: re-send the same request under the same key. */
export class PaymentOutcomeUnknownError extends AppError {
  readonly status = 503;
  readonly slug = "payment-outcome-unknown";
  readonly title = "The payment's outcome is not known yet";

  constructor(
    readonly reason: "timeout" | "unavailable" | "in_progress" | "rate_limited",
    detail = "The payment provider did not give a final answer",
    cause?: unknown,
    retryAfterSeconds = UNKNOWN_OUTCOME_RETRY_AFTER_S,
  ) {
    super({ detail, cause, headers: { "Retry-After": String(retryAfterSeconds) } });
  }
}
