/**
 * The payment provider behind a circuit breaker, wrapped where the provider is built: after
 * `failureThreshold` consecutive provider failures (timeouts, 5xx, unreachable) every charge and
 * refund is refused at once with 503 + Retry-After until a half-open trial succeeds. Declines and
 * refusals prove the provider is up and do not count. `assertAvailable` lets the checkout refuse
 * before it reserves any stock.
 */
import { BreakerOpenError, type CircuitBreaker } from "../../platform/resilience/circuit-breaker";
import type { PaymentProvider } from "./payment-provider";
import { PaymentProviderError } from "./payments.errors";

const providerDown = (error: unknown) => error instanceof PaymentProviderError && error.reason !== "rejected";

function unavailable(error: BreakerOpenError): PaymentProviderError {
  return new PaymentProviderError("unavailable", "The payment provider is failing; nothing was charged. Try again shortly.", error, Math.ceil(error.retryAfterMs / 1000));
}

async function guarded<T>(breaker: CircuitBreaker, work: () => Promise<T>): Promise<T> {
  try {
    return await breaker.run(work, providerDown);
  } catch (error) {
    throw error instanceof BreakerOpenError ? unavailable(error) : error;
  }
}

export function withBreaker(provider: PaymentProvider, breaker: CircuitBreaker): PaymentProvider {
  return {
    name: provider.name,
    charge: (input) => guarded(breaker, () => provider.charge(input)),
    refund: (input) => guarded(breaker, () => provider.refund(input)),
    verifyWebhook: (rawBody, headers) => provider.verifyWebhook(rawBody, headers),
    assertAvailable: () => {
      try {
        breaker.assertCallable();
      } catch (error) {
        throw error instanceof BreakerOpenError ? unavailable(error) : error;
      }
    },
  };
}
