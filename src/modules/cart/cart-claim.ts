/**
 * Logging in adopts an anonymous cart (POST /v1/carts/{id}/claim), merging the user's other open,
 * fresh cart into it: the claimed cart survives and wins on every field it has, quantities add up
 * within MAX_LINE_QUANTITY, the stock available and MAX_CART_LINES. A cart held by a checkout is
 * neither claimed nor merged from (both batches carry the lock guard, cart-lock.ts). The merge rule:
 * docs/pricing.md, "Ownership, claim and expiry".
 */
import type { Database } from "../../db/client";
import { NotFoundError } from "../../platform/errors";
import { availableBySku } from "../inventory/inventory.service";
import { visibleCart, type CartContext } from "./cart.access";
import {
  assertUnlocked,
  CheckoutInProgressError,
  isLockedCartError,
  lockedCartGuard,
  lockedCartTouch,
  selectCartCheckout,
  touchedAt,
} from "./cart-lock";
import { priceStoredCart, type PricedCart } from "./cart-pricing";
import * as repo from "./cart.repository";
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from "./cart.schemas";

type MergedLine = { sku: string; quantity: number };

/** The quantities to write into the claimed cart (only lines that change). */
export function mergeLines(
  claimed: MergedLine[],
  previous: MergedLine[],
  available: Map<string, number>,
): MergedLine[] {
  const current = new Map(claimed.map((line) => [line.sku, line.quantity]));
  const changes: MergedLine[] = [];
  let lineCount = current.size;
  for (const line of previous) {
    const had = current.get(line.sku);
    if (had === undefined && lineCount >= MAX_CART_LINES) continue;
    const cap = Math.max(had ?? 0, Math.min(MAX_LINE_QUANTITY, available.get(line.sku) ?? 0));
    const quantity = Math.min((had ?? 0) + line.quantity, cap);
    if (quantity <= (had ?? 0)) continue;
    if (had === undefined) lineCount += 1;
    changes.push({ sku: line.sku, quantity });
  }
  return changes;
}

function adoptedFields(cart: repo.CartRow, previous: repo.CartRow | undefined, email: string | undefined) {
  const addressSource = cart.shippingAddress ? cart : previous?.shippingAddress ? previous : undefined;
  return {
    email: cart.email ?? previous?.email ?? email ?? null,
    shippingAddress: addressSource?.shippingAddress ?? null,
    country: addressSource ? addressSource.country : (cart.country ?? previous?.country ?? null),
    shippingOptionId: addressSource ? addressSource.shippingOptionId : cart.shippingOptionId,
    billingAddress: cart.billingAddress ?? previous?.billingAddress ?? null,
    discountCode: cart.discountCode ?? previous?.discountCode ?? null,
  };
}

/** `at`: the claimed cart's new updated_at (the merge is a write of its own, after the claim's). */
async function mergeInto(
  db: Database,
  cart: repo.CartRow,
  previous: repo.CartRow,
  now: number,
  at: number,
): Promise<void> {
  const [claimedItems, previousItems] = await db.batch([
    repo.selectItems(db, cart.id),
    repo.selectItems(db, previous.id),
  ]);
  const available = await availableBySku(
    db,
    previousItems.map((item) => item.sku),
  );
  const changes = mergeLines(claimedItems, previousItems, available);
  await db.batch([
    lockedCartGuard(db, previous.id, touchedAt(previous, now)),
    lockedCartGuard(db, cart.id, at),
    repo.deleteCartStatement(db, previous.id),
    ...changes.map((line) => repo.upsertItemStatement(db, cart.id, line.sku, line.quantity, now)),
  ]);
}

export async function claimCart(context: CartContext, id: string): Promise<PricedCart> {
  const caller = context.caller;
  if (!caller) throw new NotFoundError({ detail: "No such cart" });
  const { db } = context;
  const [[row], [checkout]] = await db.batch([repo.selectOpenCart(db, id), selectCartCheckout(db, id)]);
  const cart = visibleCart(row, context);
  if (cart.userId === caller.userId) return priceStoredCart(context, cart);
  assertUnlocked(checkout);
  const previous = await repo.findLatestUserCart(db, caller.userId, cart.id, context.now - context.ttlMs);
  const changes = { ...adoptedFields(cart, previous, caller.email), userId: caller.userId };
  const claimedAt = touchedAt(cart, context.now);
  const mergedAt = previous ? claimedAt + 1 : claimedAt;
  try {
    // claim first, alone: only the request that flips user_id from NULL may merge into the cart
    const claimed = await repo.claimCartStatement(db, cart.id, {
      ...changes,
      updatedAt: lockedCartTouch(cart.id, claimedAt),
    });
    if ((claimed.meta.changes ?? 0) !== 1) throw new NotFoundError({ detail: "No such cart" });
    if (previous) await mergeInto(db, cart, previous, context.now, mergedAt);
  } catch (error) {
    throw isLockedCartError(error) ? new CheckoutInProgressError() : error;
  }
  return priceStoredCart(context, { ...cart, ...changes, updatedAt: mergedAt });
}
