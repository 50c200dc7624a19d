/**
 * The payment provider behind a circuit breaker, wrapped where the provider is built: after
 * `failureThreshold` consecutive provider failures (outcome unknown: timeouts, 5xx, unreachable)
 * every charge and refund is refused at once with 503 + Retry-After until a half-open trial
 * succeeds. Declines and refused requests prove the provider is up and do not count, and the
 * failures must come from at least `minClients` distinct clients (OBSERVABILITY.breaker): one
 * client's timeouts alone never refuse the other buyers.
 *
 * A charge refused by an open breaker is reported as an unknown outcome, not "not charged": it may
 * be the re-send of a charge whose first attempt is still unknown, so the checkout keeps its hold
 * and tries again later. A NEW checkout never gets that far: it calls `assertAvailable` first and
 * is refused before any stock is reserved.
 */
import { DependencyError } from "../../platform/errors";
import { BreakerOpenError, type CircuitBreaker } from "../../platform/resilience/circuit-breaker";
import type { PaymentProvider } from "./payment-provider";
import { PaymentOutcomeUnknownError } from "./payments.errors";

const providerDown = (error: unknown) => error instanceof PaymentOutcomeUnknownError;
const retryAfterOf = (error: BreakerOpenError) => Math.max(1, Math.ceil(error.retryAfterMs / 1000));

async function guarded<T>(breaker: CircuitBreaker, work: () => Promise<T>, client: string | undefined): Promise<T> {
  try {
    return await breaker.run(work, providerDown, client);
  } catch (error) {
    if (!(error instanceof BreakerOpenError)) throw error;
    throw new PaymentOutcomeUnknownError(
      "unavailable",
      "The payment provider is failing; it was not asked again. Retry with the same Idempotency-Key shortly.",
      error,
      retryAfterOf(error),
    );
  }
}

/** `client`: whom these calls are made for (see circuit-breaker.ts: one client alone cannot open it). */
export function withBreaker(provider: PaymentProvider, breaker: CircuitBreaker, client?: string): PaymentProvider {
  const retrieve = provider.retrieveCharge?.bind(provider);
  const cancel = provider.cancelCharge?.bind(provider);
  return {
    name: provider.name,
    charge: (input) => guarded(breaker, () => provider.charge(input), client),
    refund: (input) => guarded(breaker, () => provider.refund(input), client),
    capture: (input) => guarded(breaker, () => provider.capture(input), client),
    voidAuthorization: (paymentId, key) => guarded(breaker, () => provider.voidAuthorization(paymentId, key), client),
    verifyWebhook: (rawBody, headers) => provider.verifyWebhook(rawBody, headers),
    listCharges: (since) => provider.listCharges(since),
    // a read: asked before a compensation, it must not wait for the breaker
    ...(provider.findCharge ? { findCharge: provider.findCharge.bind(provider) } : {}),
    ...(provider.listRefunds ? { listRefunds: provider.listRefunds.bind(provider) } : {}),
    // a waiting checkout asks where its payment stands, and cancels it past its window: through the breaker like a charge
    ...(retrieve ? { retrieveCharge: (paymentId: string) => guarded(breaker, () => retrieve(paymentId), client) } : {}),
    ...(cancel ? { cancelCharge: (paymentId: string) => guarded(breaker, () => cancel(paymentId), client) } : {}),
    assertAvailable: () => {
      try {
        breaker.assertCallable();
      } catch (error) {
        if (!(error instanceof BreakerOpenError)) throw error;
        throw new DependencyError({
          detail: "The payment provider is failing; nothing was reserved or charged. Try again shortly.",
          cause: error,
          headers: { "Retry-After": String(retryAfterOf(error)) },
        });
      }
    },
  };
}
