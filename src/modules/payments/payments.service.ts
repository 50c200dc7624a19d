/**
 * Choosing a provider, timing its calls, and the inbound webhook flow: verify the signature over
 * the raw body first, then lease the event id (a redelivery does nothing twice), apply it, and mark
 * it applied. An attempt that dies between the lease and the mark leaves an expired lease, which
 * the provider's redelivery or `applyExpiredWebhookLeases` (cron) applies again — the apply is
 * idempotent (a state-machine move that already happened is a no-op), so the event takes effect
 * exactly once (I5, docs/checkout.md). No HTTP here.
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
import { PaymentRejectedError } from "./payments.errors";
import { breakersOf } from "../../platform/resilience/breakers";
import { withBreaker } from "./payment-breaker";

type PaymentEnv = Pick<Env, "DB" | "STRIPE_SECRET_KEY" | "STRIPE_WEBHOOK_SECRET" | "TEST_PAYMENT_WEBHOOK_SECRET">;

/** Longer than any request that applies an event; an attempt still holding it after this died. */
export const WEBHOOK_LEASE_MS = 60_000;

/**
 * The configured provider (`PAYMENT_PROVIDER`) behind the isolate's `payment:<name>` circuit
 * breaker; every call is timed as `payment` when timings are given. `client` is whom the calls are
 * made for (a request's `clientKeyOf`); none for the crons' calls, which count as one client.
 */
export function paymentProviderFor(
  env: PaymentEnv,
  config: Config,
  timings?: ServerTimings,
  client?: string,
): PaymentProvider {
  const provider = buildProvider(env, config.PAYMENT_PROVIDER, config);
  if (!provider) throw new PaymentRejectedError(`The ${config.PAYMENT_PROVIDER} payment provider is not configured`);
  const guarded = withBreaker(
    provider,
    breakersOf(config).get(`payment:${provider.name}`, { servesClients: true }),
    client,
  );
  return timings ? timed(guarded, timings) : guarded;
}

function buildProvider(env: PaymentEnv, name: ProviderName, config?: Config): PaymentProvider | undefined {
  if (name === "test")
    return new TestPaymentProvider(
      createDatabase(env.DB),
      env.TEST_PAYMENT_WEBHOOK_SECRET,
      Date.now,
      config?.PUBLIC_BASE_URL,
    );
  if (!env.STRIPE_SECRET_KEY) return undefined;
  const observability = config?.OBSERVABILITY;
  return new StripePaymentProvider({
    secretKey: env.STRIPE_SECRET_KEY,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    timeoutMs: observability?.timeouts.paymentMs,
    retry: observability?.retry,
  });
}

function timed(provider: PaymentProvider, timings: ServerTimings): PaymentProvider {
  const retrieve = provider.retrieveCharge?.bind(provider);
  const cancel = provider.cancelCharge?.bind(provider);
  return {
    name: provider.name,
    charge: (input) => timings.time("payment", () => provider.charge(input)),
    refund: (input) => timings.time("payment", () => provider.refund(input)),
    capture: (input) => timings.time("payment", () => provider.capture(input)),
    voidAuthorization: (paymentId, key) => timings.time("payment", () => provider.voidAuthorization(paymentId, key)),
    verifyWebhook: (rawBody, headers) => provider.verifyWebhook(rawBody, headers),
    listCharges: (since) => timings.time("payment", () => provider.listCharges(since)),
    ...(provider.findCharge
      ? {
          findCharge: (checkoutId: string) =>
            timings.time("payment", () => provider.findCharge?.(checkoutId) ?? Promise.resolve(null)),
        }
      : {}),
    ...(provider.listRefunds
      ? {
          listRefunds: (paymentId: string) =>
            timings.time("payment", () => provider.listRefunds?.(paymentId) ?? Promise.resolve([])),
        }
      : {}),
    ...(retrieve ? { retrieveCharge: (paymentId: string) => timings.time("payment", () => retrieve(paymentId)) } : {}),
    ...(cancel ? { cancelCharge: (paymentId: string) => timings.time("payment", () => cancel(paymentId)) } : {}),
    assertAvailable: () => provider.assertAvailable?.(),
  };
}

/** What the orders module does with a verified, first-seen event (see docs/payments.md). Must be idempotent. */
export type PaymentEventHandler = (db: Database, event: PaymentEvent) => Promise<void>;

export interface WebhookOutcome {
  eventId: string;
  duplicate: boolean;
}

/**
 * A provider answers webhooks only when its secret is configured: an unknown or disabled
 * provider is 404, so a production deployment does not accept test-provider events.
 */
export async function receivePaymentWebhook(
  env: PaymentEnv,
  db: Database,
  providerName: string,
  rawBody: string,
  headers: Headers,
  apply: PaymentEventHandler,
  now = Date.now(),
): Promise<WebhookOutcome> {
  const provider = webhookProvider(env, providerName);
  const event = await provider.verifyWebhook(rawBody, headers);
  if (
    !(await repository.leaseWebhookEvent(
      db,
      { provider: provider.name, id: event.id, type: event.type, payload: { ...event } },
      now,
      WEBHOOK_LEASE_MS,
    ))
  ) {
    return { eventId: event.id, duplicate: true };
  }
  // a failure here leaves the lease to expire: the redelivery (or the cron) applies the event again
  await apply(db, event);
  await repository.markWebhookApplied(db, provider.name, event.id);
  return { eventId: event.id, duplicate: false };
}

/** Re-applies events whose attempt died after leasing them (cron); each one is leased again first. */
export async function applyExpiredWebhookLeases(
  db: Database,
  apply: PaymentEventHandler,
  now: number,
  limit = 50,
): Promise<number> {
  let applied = 0;
  for (const row of await repository.findExpiredLeases(db, now, limit)) {
    const event = row.payload as unknown as PaymentEvent;
    if (
      !(await repository.leaseWebhookEvent(
        db,
        { provider: row.provider, id: row.eventId, type: row.type, payload: row.payload ?? {} },
        now,
        WEBHOOK_LEASE_MS,
      ))
    )
      continue;
    await apply(db, event);
    await repository.markWebhookApplied(db, row.provider, row.eventId);
    applied++;
  }
  return applied;
}

function webhookProvider(env: PaymentEnv, name: string): PaymentProvider {
  const known = (PROVIDER_NAMES as readonly string[]).includes(name) ? (name as ProviderName) : undefined;
  const configured =
    known === "test" ? env.TEST_PAYMENT_WEBHOOK_SECRET : known === "stripe" ? env.STRIPE_WEBHOOK_SECRET : undefined;
  const provider = known && configured ? buildProvider(env, known) : undefined;
  if (!provider)
    throw new NotFoundError({ detail: `No payment provider named "${name.slice(0, 40)}" accepts webhooks here` });
  return provider;
}
