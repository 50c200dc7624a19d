/**
 * The cart's version as a strong ETag: a hash of the priced cart view, so it changes whenever
 * anything the buyer sees changes — lines, prices, discount, shipping, tax, address, and every
 * write (the view's `expiresAt` moves with it). Checkout compares it with `If-Match`: the cart the
 * buyer agreed to pay for (docs/checkout.md, "the buyer's consent").
 * The view is serialised with sorted keys: a cart answered after a write (priced from the row in
 * memory) and the same cart read back (priced from the stored row) must get the same tag even if
 * an address object's keys came in another order.
 */
import { etagOf } from "../../platform/cache/etag";
import type { CartView } from "./cart.schemas";

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => [key, sortedKeys(item)]),
  );
}

export function cartEtagOf(view: CartView): Promise<string> {
  return etagOf(JSON.stringify(sortedKeys(view)));
}
