/**
 * Cart rules: creation, contact/address, items (quantity bounds, stock, sellable SKUs, one
 * currency) and discount codes. Every write bumps `updated_at` (the idle clock) and answers the
 * freshly priced cart. Each operation is two D1 round trips: one batch of reads (the cart, whether a
 * checkout holds it, and what the rule needs, stock included), one batch with the writes followed
 * by the pricing reads. A cart held by a checkout refuses every write (cart-lock.ts). No HTTP here.
 */
import type { CheckoutState } from "../../db/schema";
import { ConflictError, NotFoundError, UnprocessableError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { findInventory } from "../inventory/inventory.repository";
import { availableOf } from "../inventory/inventory.service";
import { countryNeedsRegion } from "../pricing";
import { visibleCart, type CartContext } from "./cart.access";
import {
  assertUnlocked,
  CheckoutInProgressError,
  isLockedCartError,
  lockedCartError,
  lockedCartTouch,
  selectCartCheckout,
  touchedAt,
} from "./cart-lock";
import {
  customerKeys,
  discountEligibility,
  discountRefused,
  normaliseCode,
  selectCustomerUses,
} from "../discounts/discounts.rules";
import { selectDiscountCode } from "../discounts/discounts.repository";
import { writeAndPrice, type PricedCart } from "./cart-pricing";
import * as repo from "./cart.repository";
import {
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  type AddItemInput,
  type CreateCartInput,
  type UpdateCartInput,
} from "./cart.schemas";

export async function createCart(context: CartContext, input: CreateCartInput): Promise<PricedCart> {
  const cart: repo.CartRow = {
    id: newId("cart"),
    userId: context.caller?.userId ?? null,
    status: "open",
    currency: input.currency ?? (input.country === "US" ? "USD" : "EUR"),
    country: input.country ?? null,
    email: context.caller?.email ?? null,
    shippingAddress: null,
    billingAddress: null,
    shippingOptionId: null,
    discountCode: null,
    createdAt: context.now,
    updatedAt: context.now,
  };
  return (await writeAndPrice(context, cart, [repo.insertCartStatement(context.db, cart)])).priced;
}

/** The cart this caller may edit now: 404 as for any read, then 409 while a checkout holds it. */
function editableCart(
  row: repo.CartRow | undefined,
  checkout: { state: CheckoutState } | undefined,
  context: CartContext,
): repo.CartRow {
  const cart = visibleCart(row, context);
  assertUnlocked(checkout);
  return cart;
}

/**
 * Writes `changes` to the cart (plus `extraWrites` first) and answers it priced. The cart's row
 * update is the batch's lock guard: a checkout that started after our read fails the whole batch.
 */
async function saveAndPrice(
  context: CartContext,
  cart: repo.CartRow,
  changes: Partial<repo.CartRow>,
  extraWrites: Parameters<typeof writeAndPrice>[2] = [],
) {
  const at = touchedAt(cart, context.now);
  const updated = { ...cart, ...changes, updatedAt: at };
  const touch = repo.updateCartStatement(context.db, cart.id, { ...changes, updatedAt: lockedCartTouch(cart.id, at) });
  try {
    return await writeAndPrice(context, updated, [...extraWrites, touch]);
  } catch (error) {
    if (!isLockedCartError(error)) throw error;
    const [checkout] = await selectCartCheckout(context.db, cart.id);
    throw checkout ? lockedCartError(checkout.state) : new CheckoutInProgressError();
  }
}

export async function updateCart(context: CartContext, id: string, input: UpdateCartInput): Promise<PricedCart> {
  const { db } = context;
  const address = input.shippingAddress;
  const [[row], [checkout], rules] = await db.batch([
    repo.selectOpenCart(db, id),
    selectCartCheckout(db, id),
    repo.selectTaxRules(db, address?.country ?? ""),
  ]);
  const cart = editableCart(row, checkout, context);
  if (address && !address.region && countryNeedsRegion(address.country, rules)) {
    throw new UnprocessableError({
      detail: `An address in ${address.country} needs a region to be taxed`,
      errors: [{ path: "shippingAddress.region", message: "Required for this country" }],
    });
  }
  if (input.shippingOptionId)
    await assertOptionOffered(context, input.shippingOptionId, address?.country ?? cart.country);
  const changes: Partial<repo.CartRow> = {
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(address ? { shippingAddress: address, country: address.country } : {}),
    ...(input.billingAddress !== undefined ? { billingAddress: input.billingAddress } : {}),
    ...(input.shippingOptionId !== undefined ? { shippingOptionId: input.shippingOptionId } : {}),
  };
  return (await saveAndPrice(context, cart, changes)).priced;
}

/** A buyer may only choose an active option of the destination's zone (422 otherwise). */
async function assertOptionOffered(context: CartContext, optionId: string, country: string | null): Promise<void> {
  if (country && (await repo.isOptionOfZone(context.db, optionId, country))) return;
  throw new UnprocessableError({
    detail: country
      ? `Shipping option ${optionId} is not offered for ${country}`
      : "Set a shipping address before choosing a shipping option",
    errors: [{ path: "shippingOptionId", message: "not one of this cart's shipping options" }],
  });
}

function quantityConflict(sku: string, available: number): ConflictError {
  return new ConflictError({
    detail: `At most ${Math.min(available, MAX_LINE_QUANTITY)} of ${sku} (stock ${available}, at most ${MAX_LINE_QUANTITY} per line)`,
    extensions: { skus: [sku], available: { [sku]: available } },
  });
}

/**
 * One round trip for a line change: the cart (visibility checked), its lines, the currencies the
 * SKU is sold in and its stock row (available = on hand − reserved), all in one batch.
 */
async function loadLineChange(context: CartContext, id: string, sku: string) {
  const { db } = context;
  const [[row], [checkout], items, sellable, [stock]] = await db.batch([
    repo.selectOpenCart(db, id),
    selectCartCheckout(db, id),
    repo.selectItems(db, id),
    repo.selectSellableCurrencies(db, sku),
    findInventory(db, [sku]),
  ]);
  // before the stock rules: a live checkout holds this cart's stock, so "not enough stock" would mislead
  const cart = editableCart(row, checkout, context);
  const available = stock ? availableOf(stock) : 0;
  const assertSellable = () => {
    if (!sellable.some((price) => price.currency === cart.currency)) {
      throw new UnprocessableError({
        detail: `${sku} is not sold in ${cart.currency} (unknown, archived or unpriced)`,
        extensions: { skus: [sku] },
      });
    }
  };
  return {
    cart,
    existing: items.find((item) => item.sku === sku),
    lineCount: items.length,
    available,
    limit: Math.min(MAX_LINE_QUANTITY, available),
    assertSellable,
  };
}

/** Adds to the line's quantity (a second add of the same SKU sums); 409 naming the SKU past the limit. */
export async function addItem(context: CartContext, id: string, input: AddItemInput): Promise<PricedCart> {
  const { cart, existing, lineCount, available, limit, assertSellable } = await loadLineChange(context, id, input.sku);
  if (!existing && lineCount >= MAX_CART_LINES)
    throw new UnprocessableError({ detail: `A cart holds at most ${MAX_CART_LINES} different SKUs` });
  assertSellable();
  if ((existing?.quantity ?? 0) + input.quantity > limit) throw quantityConflict(input.sku, available);
  const increment = repo.incrementItemStatement(context.db, cart.id, input.sku, input.quantity, limit, context.now);
  const { priced, writeResults } = await saveAndPrice(context, cart, {}, [increment]);
  // a concurrent add to the same line got there first and used up the room
  if ((writeResults[0]?.meta.changes ?? 0) === 0) throw quantityConflict(input.sku, available);
  return priced;
}

export async function setItemQuantity(
  context: CartContext,
  id: string,
  sku: string,
  quantity: number,
): Promise<PricedCart> {
  const { cart, existing, available, limit, assertSellable } = await loadLineChange(context, id, sku);
  if (!existing) throw new NotFoundError({ detail: `${sku} is not in this cart` });
  assertSellable();
  if (quantity > limit) throw quantityConflict(sku, available);
  return (
    await saveAndPrice(context, cart, {}, [repo.upsertItemStatement(context.db, cart.id, sku, quantity, context.now)])
  ).priced;
}

export async function removeItem(context: CartContext, id: string, sku: string): Promise<PricedCart> {
  const { db } = context;
  const [[row], [checkout], items] = await db.batch([
    repo.selectOpenCart(db, id),
    selectCartCheckout(db, id),
    repo.selectItems(db, id),
  ]);
  const cart = editableCart(row, checkout, context);
  if (!items.some((item) => item.sku === sku)) throw new NotFoundError({ detail: `${sku} is not in this cart` });
  return (await saveAndPrice(context, cart, {}, [repo.deleteItemStatement(db, cart.id, sku)])).priced;
}

/** Validates the code now (422; the reason for staff only); its minimum subtotal is checked at pricing time. */
export async function applyDiscount(context: CartContext, id: string, rawCode: string): Promise<PricedCart> {
  const { db } = context;
  const code = normaliseCode(rawCode);
  const [[row], [checkout], [discount]] = await db.batch([
    repo.selectOpenCart(db, id),
    selectCartCheckout(db, id),
    selectDiscountCode(db, code),
  ]);
  const cart = editableCart(row, checkout, context);
  const uses = await selectCustomerUses(db, code, customerKeys(cart.userId, cart.email));
  const eligibility = discountEligibility(
    discount,
    cart.currency,
    context.now,
    Math.max(0, ...uses.map((use) => use.used)),
  );
  if (!eligibility.ok) throw discountRefused(eligibility.reason, context.caller);
  return (await saveAndPrice(context, cart, { discountCode: code })).priced;
}

export async function removeDiscount(context: CartContext, id: string): Promise<PricedCart> {
  const { db } = context;
  const [[row], [checkout]] = await db.batch([repo.selectOpenCart(db, id), selectCartCheckout(db, id)]);
  return (await saveAndPrice(context, editableCart(row, checkout, context), { discountCode: null })).priced;
}
