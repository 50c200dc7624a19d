/**
 * The payment provider behind a circuit breaker, wrapped where the provider is built. A charge
 * refused by an open breaker is an unknown outcome, not "not charged" (it may re-send a charge still
 * unknown, so the checkout keeps its hold); a NEW checkout calls `assertAvailable` first and is
 * refused before any stock is reserved. What counts as a failure, and who may open it:
 * docs/observability.md, "Circuit breakers".
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
