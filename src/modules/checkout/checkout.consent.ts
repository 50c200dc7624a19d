/**
 * The buyer's consent to a total. A checkout may name what the buyer agreed to pay for: the cart's
 * version (`If-Match` with the cart's ETag) and/or the total shown (`expectedTotal`). Checkout
 * compares them with the cart as it re-prices it for the charge — the very `totals.total` that
 * becomes the checkout's stored `amount`, which is all the charge ever sends — and refuses a
 * difference with 409 `price-changed` before anything is reserved or charged. Both are optional
 * (v1 clients send neither and are charged the re-priced total, as before).
 */
import { AppError } from "../../platform/errors";
import { money, type Currency, type Money } from "../../platform/money";
import type { PricedCart } from "../cart/cart-pricing";
import { cartEtagOf } from "../cart/cart.etag";

export interface Consent {
  /** The `If-Match` header as sent (already validated by the route's contract). */
  ifMatch?: string;
  expectedTotal?: Money;
}

/** 409: the cart is not what the buyer agreed to. Final for its Idempotency-Key (no Retry-After): re-confirm with a new key. */
export class PriceChangedError extends AppError {
  readonly status = 409;
  readonly slug = "price-changed";
  readonly title = "The cart's total changed since the buyer saw it";

  constructor(total: Money, etag: string, detail: string) {
    // the ETag rides in the body too: a replay of this answer keeps its body, not every header
    super({ detail, headers: { ETag: etag }, extensions: { total, etag } });
  }
}

/** `*`, or a comma-separated list of entity tags (`"…"` or `W/"…"`), RFC 9110 §13.1.1; null when malformed. */
export function entityTagsOf(header: string): string[] | "*" | null {
  if (header.trim() === "*") return "*";
  const tags = header.split(",").map((tag) => tag.trim());
  return tags.every((tag) => /^(W\/)?"[\x21\x23-\x7E]*"$/.test(tag)) ? tags : null;
}

/** If-Match compares strongly (RFC 9110 §13.1.1): a weak tag never matches. */
function matches(ifMatch: string, etag: string): boolean {
  const tags = entityTagsOf(ifMatch);
  return tags === "*" || (tags ?? []).includes(etag);
}

/** Throws PriceChangedError unless `priced` is the cart and the total the buyer agreed to. */
export async function assertConsented(priced: PricedCart, consent: Consent | undefined): Promise<void> {
  if (!consent?.ifMatch && !consent?.expectedTotal) return;
  const etag = await cartEtagOf(priced.view);
  // totals.total in totals.currency is exactly what start stores as the checkout's amount and currency
  const total = money(priced.totals.total, priced.totals.currency as Currency);
  const { ifMatch, expectedTotal } = consent;
  if (ifMatch !== undefined && !matches(ifMatch, etag)) {
    throw new PriceChangedError(
      total,
      etag,
      `The cart changed since this version was shown (its total is now ${total.amount} ` +
        `${total.currency}); nothing was charged. Show the cart again and confirm with a new ` +
        `Idempotency-Key.`,
    );
  }
  if (expectedTotal && (expectedTotal.amount !== total.amount || expectedTotal.currency !== total.currency)) {
    throw new PriceChangedError(
      total,
      etag,
      `The total is now ${total.amount} ${total.currency}, not the ${expectedTotal.amount} ` +
        `${expectedTotal.currency} that was shown; nothing was charged. Confirm the new total with a new ` +
        `Idempotency-Key.`,
    );
  }
}
