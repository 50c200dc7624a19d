/**
 * The cart lock: while a checkout of the cart has not failed (the predicate of
 * `checkouts_cart_live_idx`), every cart write is refused with 409, because the checkout charges and
 * orders its snapshot and an edit accepted after it priced the cart would be silently dropped. Reads
 * are never locked. Race-proof both ways in SQL (`lockedCartTouch`, `unchangedCartId`): see
 * docs/checkout.md, "The cart during a checkout".
 */
import { and, eq, ne, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { isNotNullViolation } from "../../db/errors";
import { carts, checkouts, type CheckoutState } from "../../db/schema";
import { AppError } from "../../platform/errors";

/** How long a client waits before retrying while a checkout can still finish (it then answers or frees the cart). */
export const CHECKOUT_RETRY_AFTER_S = 5;

export class CheckoutInProgressError extends AppError {
  readonly status = 409;
  readonly slug = "checkout-in-progress";
  readonly title = "A checkout of this cart is in progress";
  constructor(
    detail = "A checkout of this cart is in progress, so the cart cannot change now. Wait for it, or retry " +
      "that checkout with the same Idempotency-Key to learn how it ended.",
  ) {
    super({ detail, headers: { "Retry-After": String(CHECKOUT_RETRY_AFTER_S) } });
  }
}

/** Final: the cart became an order (no Retry-After). */
export class CartCheckedOutError extends AppError {
  readonly status = 409;
  readonly slug = "cart-checked-out";
  readonly title = "This cart has already been checked out";
  constructor(detail = "This cart has already been checked out; start a new cart") {
    super({ detail });
  }
}

/** The checkout's insert found the cart written after it priced it: re-send (same key) to check out what the buyer now sees. */
export class CartChangedError extends AppError {
  readonly status = 409;
  readonly slug = "cart-changed";
  readonly title = "The cart changed while the checkout started";
  constructor() {
    super({
      detail:
        "The cart changed while this checkout was starting; nothing was reserved or charged. Review the " +
        "cart and retry (the same Idempotency-Key works).",
      headers: { "Retry-After": "1" },
    });
  }
}

/** The 409 for a cart whose checkout has not failed, by the checkout's state. */
export function lockedCartError(state: CheckoutState): AppError {
  return state === "completed" ? new CartCheckedOutError() : new CheckoutInProgressError();
}

const blockingCheckout = (cartId: string | SQL) =>
  sql`select 1 from ${checkouts} where ${checkouts.cartId} = ${cartId} and ${checkouts.state} <> 'compensated'`;

/** Batchable: the state of the cart's checkout that has not failed (none, or one: `checkouts_cart_live_idx`). */
export function selectCartCheckout(db: Database, cartId: string) {
  return db
    .select({ state: checkouts.state, userId: checkouts.userId })
    .from(checkouts)
    .where(and(eq(checkouts.cartId, cartId), ne(checkouts.state, "compensated")))
    .limit(1);
}

/** Throws the 409 when the read found a checkout holding the cart. */
export function assertUnlocked(checkout: { state: CheckoutState } | undefined): void {
  if (checkout) throw lockedCartError(checkout.state);
}

/**
 * The `updated_at` a write to `cart` (as read) stores: strictly later than what was read, since two
 * writes in one millisecond must still differ (the checkout compares it). The answer is priced
 * with it, so it matches the stored row unless another write landed in between.
 */
export function touchedAt(cart: { updatedAt: number }, now: number): number {
  return Math.max(now, cart.updatedAt + 1);
}

/**
 * The value of `carts.updated_at` for a write: `at`, or later when another write got there first
 * (still strictly increasing), or NULL — failing the whole batch — when a checkout holds the cart.
 */
export function lockedCartTouch(cartId: string, at: number): SQL {
  return sql`case when exists (${blockingCheckout(cartId)}) then null else max(${at}, ${carts.updatedAt} + 1) end`;
}

/** A batch statement that only guards and touches the cart (for batches that write lines alone). */
export function lockedCartGuard(db: Database, cartId: string, at: number) {
  return db
    .update(carts)
    .set({ updatedAt: lockedCartTouch(cartId, at) })
    .where(eq(carts.id, cartId));
}

/** `lockedCartTouch` refused a write (the batch rolled back). */
export const isLockedCartError = (error: unknown) => isNotNullViolation(error, "carts.updated_at");

/**
 * For the checkout's insert: the cart id, or NULL (the insert then fails on NOT NULL cart_id) when
 * the cart is no longer open or was written after it was priced (`updated_at` moved on).
 */
export function unchangedCartId(cartId: string, pricedUpdatedAt: number): SQL {
  return sql`(select ${carts.id} from ${carts}
    where ${carts.id} = ${cartId} and ${carts.status} = 'open' and ${carts.updatedAt} = ${pricedUpdatedAt})`;
}

/** `unchangedCartId` refused the checkout's insert. */
export const isChangedCartError = (error: unknown) => isNotNullViolation(error, "checkouts.cart_id");
