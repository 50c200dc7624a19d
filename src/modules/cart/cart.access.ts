/**
 * Who may see a cart, and when it is gone. An owned cart is visible to its owner only; an
 * anonymous one to whoever holds its id. Anything else — someone else's cart, an expired or
 * checked-out one — is the same 404, so a probe learns nothing about which ids exist.
 */
import * as z from "zod";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import type { Caller } from "../../platform/context";
import { NotFoundError } from "../../platform/errors";
import type { CartRow } from "./cart.repository";

export interface CartContext {
  db: Database;
  caller: Caller | undefined;
  now: number;
  /** Idle time after which a cart is expired (CART_TTL_HOURS). */
  ttlMs: number;
}

const DEFAULT_CART_TTL_HOURS = 72;
const ttlSchema = z.coerce
  .number()
  .int()
  .positive()
  .max(24 * 365)
  .default(DEFAULT_CART_TTL_HOURS);

/** CART_TTL_HOURS (a Worker var, optional): a bad value fails loudly rather than never expiring carts. */
export function cartTtlMs(env: Env): number {
  const raw = (env as Env & { CART_TTL_HOURS?: string }).CART_TTL_HOURS;
  return ttlSchema.parse(raw === "" ? undefined : raw) * 60 * 60 * 1000;
}

export function isExpired(cart: CartRow, context: Pick<CartContext, "now" | "ttlMs">): boolean {
  return cart.updatedAt < context.now - context.ttlMs;
}

export function canSee(cart: CartRow, caller: Caller | undefined): boolean {
  return cart.userId === null || cart.userId === caller?.userId;
}

/** The cart if this caller may use it now, else the one indistinguishable 404. */
export function visibleCart(
  cart: CartRow | undefined,
  context: Pick<CartContext, "caller" | "now" | "ttlMs">,
): CartRow {
  if (!cart || isExpired(cart, context) || !canSee(cart, context.caller))
    throw new NotFoundError({ detail: "No such cart (it may have expired)" });
  return cart;
}
