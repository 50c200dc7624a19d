/**
 * The buyer's consent to a total: a buyer reads its cart (and its ETag), looks at the total for a
 * moment — long enough, now and then, for a price or the one-use code to change — and checks out
 * naming what it saw (If-Match, `expectedTotal`, both, or nothing). After a 409 price-changed it
 * looks again, as the storefront does, and may agree to the new total under a new key.
 */
import { sleep, type Client } from "../client";
import type { Consent } from "../journal";
import type { CONSENT_MODES } from "../plan";
import type { Prng } from "../prng";
import type { CartView } from "../shapes";

export type ConsentMode = (typeof CONSENT_MODES)[number][0];

/** The consent of `mode` to a cart version: its total and ETag. */
export function consentTo(
  mode: ConsentMode,
  total: { amount: number; currency: string },
  etag: string | null,
): Consent | undefined {
  if (mode === "none") return undefined;
  const ifMatch = mode !== "expected-total" && etag ? etag : undefined;
  return {
    total: total.amount,
    currency: total.currency,
    expectedTotal: mode !== "if-match" || !ifMatch,
    ...(ifMatch ? { ifMatch } : {}),
  };
}

/** Reads the cart as the buyer sees it, then looks at it; undefined when the read failed (it pays as a v1 client then). */
export async function lookAtTotal(
  client: Client,
  prng: Prng,
  cartId: string,
  mode: ConsentMode,
  token?: string,
): Promise<Consent | undefined> {
  const shown = await client.send(`/v1/carts/${cartId}`, { token });
  if (shown.status !== 200) return undefined;
  await sleep(
    prng.weighted([
      [prng.int(0, 150), 3],
      [prng.int(500, 2_000), 1],
    ] as const),
  );
  return consentTo(mode, (shown.body as CartView).total, shown.headers.get("etag"));
}

/** The request parts that carry a consent. */
export function consentRequest(consent: Consent | undefined): {
  body: Record<string, unknown>;
  headers?: Record<string, string>;
} {
  if (!consent) return { body: {} };
  return {
    body: consent.expectedTotal ? { expectedTotal: { amount: consent.total, currency: consent.currency } } : {},
    ...(consent.ifMatch ? { headers: { "If-Match": consent.ifMatch } } : {}),
  };
}
