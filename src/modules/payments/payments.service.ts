/**
 * Choosing a provider, timing its calls, and the inbound webhook flow: verify the signature
 * over the raw body first, then claim the event id (a redelivery does nothing twice), then hand
 * the event to the orders module. No HTTP here.
 */
import { createDatabase, type Database } from "../../db/client";
import type { Config, Env } from "../../env";
import { NotFoundError } from "../../platform/errors";
import type { ServerTimings } from "../../platform/timing";
import { PROVIDER_NAMES, type PaymentProvider, type ProviderName } from "./payment-provider";
import type { PaymentEvent } from "./payment-event";
import * as repository from "./payments.repository";
import { StripePaymentProvider } from "./stripe-provider";
import { TestPaymentProvider } from "./test-provider";
import { PaymentProviderError } from "./payments.errors";
import { breakersOf } from "../../platform/resilience/breakers";
import { withBreaker } from "./payment-breaker";

type PaymentEnv = Pick<Env, "DB" | "STRIPE_SECRET_KEY" | "STRIPE_WEBHOOK_SECRET" | "TEST_PAYMENT_WEBHOOK_SECRET">;

/**
 * The configured provider (`PAYMENT_PROVIDER`) behind the isolate's `payment:<name>` circuit
 * breaker; every call is timed as `payment` when timings are given.
 */
export function paymentProviderFor(env: PaymentEnv, config: Config, timings?: ServerTimings): PaymentProvider {
  const provider = buildProvider(env, config.PAYMENT_PROVIDER, config);
  if (!provider) throw new PaymentProviderError("rejected", `The ${config.PAYMENT_PROVIDER} payment provider is not configured`);
  const guarded = withBreaker(provider, breakersOf(config).get(`payment:${provider.name}`));
  return timings ? timed(guarded, timings) : guarded;
}

function buildProvider(env: PaymentEnv, name: ProviderName, config?: Config): PaymentProvider | undefined {
  if (name === "test") return new TestPaymentProvider(createDatabase(env.DB), env.TEST_PAYMENT_WEBHOOK_SECRET);
  if (!env.STRIPE_SECRET_KEY) return undefined;
  const observability = config?.OBSERVABILITY;
  return new StripePaymentProvider({ secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET, timeoutMs: observability?.timeouts.paymentMs, retry: observability?.retry });
}

function timed(provider: PaymentProvider, timings: ServerTimings): PaymentProvider {
  return {
    name: provider.name,
    charge: (input) => timings.time("payment", () => provider.charge(input)),
    refund: (input) => timings.time("payment", () => provider.refund(input)),
    verifyWebhook: (rawBody, headers) => provider.verifyWebhook(rawBody, headers),
    assertAvailable: () => provider.assertAvailable?.(),
  };
}

/** What the orders module does with a verified, first-seen event (see docs/payments.md). */
export type PaymentEventHandler = (db: Database, event: PaymentEvent) => Promise<void>;

export interface WebhookOutcome {
  eventId: string;
  duplicate: boolean;
}

/**
 * A provider answers webhooks only when its secret is configured: an unknown or disabled
 * provider is 404, so a production deployment does not accept test-provider events.
 */
export async function receivePaymentWebhook(env: PaymentEnv, db: Database, providerName: string, rawBody: string, headers: Headers, apply: PaymentEventHandler): Promise<WebhookOutcome> {
  const provider = webhookProvider(env, providerName);
  const event = await provider.verifyWebhook(rawBody, headers);
  if (!(await repository.claimWebhookEvent(db, provider.name, event.id, event.type))) return { eventId: event.id, duplicate: true };
  try {
    await apply(db, event);
  } catch (error) {
    // let the provider's redelivery try again instead of marking a failed event as done
    await repository.forgetWebhookEvent(db, provider.name, event.id);
    throw error;
  }
  return { eventId: event.id, duplicate: false };
}

function webhookProvider(env: PaymentEnv, name: string): PaymentProvider {
  const known = (PROVIDER_NAMES as readonly string[]).includes(name) ? (name as ProviderName) : undefined;
  const configured = known === "test" ? env.TEST_PAYMENT_WEBHOOK_SECRET : known === "stripe" ? env.STRIPE_WEBHOOK_SECRET : undefined;
  const provider = known && configured ? buildProvider(env, known) : undefined;
  if (!provider) throw new NotFoundError({ detail: `No payment provider named "${name.slice(0, 40)}" accepts webhooks here` });
  return provider;
}
