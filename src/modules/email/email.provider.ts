/**
 * Picks the email adapter from the configuration (EMAIL_PROVIDER, EMAIL_FROM, EMAIL_API_KEY), with
 * the timeout and retries of the observability config, behind the isolate's `email` breaker.
 */
import { createDatabase } from "../../db/client";
import { configOf, type Env } from "../../env";
import type { EmailAdapter } from "./email.adapter";
import { EmailProviderError, HttpEmailAdapter } from "./email.http";
import { breakersOf } from "../../platform/resilience/breakers";
import type { CircuitBreaker } from "../../platform/resilience/circuit-breaker";
import { LocalEmailAdapter } from "./email.local";

export function emailAdapterFor(env: Env): EmailAdapter {
  const config = configOf(env);
  if (config.EMAIL_PROVIDER === "local") return new LocalEmailAdapter(createDatabase(env.DB));
  if (!env.EMAIL_API_KEY) throw new Error("EMAIL_PROVIDER=http needs the EMAIL_API_KEY secret");
  // the default sender is a local address: a real provider needs a sender of the shop's domain
  if (!env.EMAIL_FROM) throw new Error("EMAIL_PROVIDER=http needs the EMAIL_FROM variable");
  const { timeouts, retry } = config.OBSERVABILITY;
  return withEmailBreaker(
    new HttpEmailAdapter({ apiKey: env.EMAIL_API_KEY, from: config.EMAIL_FROM, timeoutMs: timeouts.emailMs, retry }),
    breakersOf(config).get("email"),
  );
}

/**
 * While the provider is down, jobs fail at once (the queue retries them later with backoff)
 * instead of each one waiting for its timeouts. Only provider failures count, not a bad address.
 */
function withEmailBreaker(adapter: EmailAdapter, breaker: CircuitBreaker): EmailAdapter {
  return {
    send: (message) =>
      breaker.run(
        () => adapter.send(message),
        (error) => error instanceof EmailProviderError && error.transient,
      ),
  };
}
