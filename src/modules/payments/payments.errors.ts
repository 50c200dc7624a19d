/**
 * The two ways a charge can fail, as the rest of Motor sees them: the buyer's payment was refused
 * (402, not retryable with the same method) or the provider could not answer (503, retryable).
 */
import { DependencyError, PaymentRequiredError } from "../../platform/errors";

/** Why the provider refused: Stripe's decline codes, e.g. `card_declined`, `insufficient_funds`. */
export class PaymentDeclinedError extends PaymentRequiredError {
  readonly declineCode: string;

  constructor(declineCode: string, detail = "The payment method was declined") {
    super({ detail, extensions: { declineCode } });
    this.declineCode = declineCode;
  }
}

export type ProviderFailure = "timeout" | "unavailable" | "rejected";

/** The provider is down, timed out, or refused our request (bad key, rate limit): nothing was charged that we know of. */
export class PaymentProviderError extends DependencyError {
  readonly reason: ProviderFailure;

  constructor(reason: ProviderFailure, detail = "The payment provider is unavailable; try again", cause?: unknown, retryAfterSeconds = 5) {
    super({ detail, cause, headers: { "Retry-After": String(retryAfterSeconds) } });
    this.reason = reason;
  }
}
