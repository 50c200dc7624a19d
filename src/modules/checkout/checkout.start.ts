/**
 * The first step of a checkout: price the cart on the server (never trusting the client), refuse a
 * cart that cannot be checked out (422, with the reasons), and write the durable checkout record
 * with a snapshot of what will be charged and ordered.
 */
import type { Database } from "../../db/client";
import type { Caller } from "../../platform/context";
import { UnprocessableError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { loadPricedCart, type PricedCart } from "../cart/cart-pricing";
import { insertCheckout, type CheckoutRow } from "./checkout.repository";
import type { CheckoutSnapshot } from "./checkout.schemas";

const BLOCKER_MESSAGES: Record<string, string> = {
  empty_cart: "the cart is empty",
  country_required: "a shipping country is required",
  region_required: "a region (state) is required for this country",
  shipping_unavailable: "we do not ship to this destination",
  shipping_option_unavailable: "the chosen shipping option no longer fits this cart; choose another",
  tax_rule_missing: "taxes for this destination are not configured yet",
  sku_unavailable: "some items are no longer sold",
  email_required: "an email is required",
  shipping_address_required: "a shipping address is required",
};

export function checkoutBlockers(priced: PricedCart): string[] {
  const blockers = [...priced.view.blockers];
  if (!priced.cart.email) blockers.push("email_required");
  if (!priced.cart.shippingAddress) blockers.push("shipping_address_required");
  return blockers;
}

function snapshotOf(priced: PricedCart, caller: Caller | undefined, email: string): CheckoutSnapshot {
  const { totals, cart } = priced;
  return {
    orderId: newId("ord"),
    userId: caller?.userId ?? cart.userId ?? null,
    email,
    currency: totals.currency,
    shippingAddress: cart.shippingAddress ? { ...cart.shippingAddress } : null,
    billingAddress: cart.billingAddress ? { ...cart.billingAddress } : null,
    lines: totals.lines.map(({ sku, title, quantity, unitPrice, total }) => ({ sku, title, quantity, unitPrice, total })),
    subtotal: totals.subtotal,
    discount: totals.discount,
    discountCode: priced.appliedDiscountCode,
    shipping: totals.shipping,
    tax: totals.tax.amount,
    taxInclusive: totals.tax.inclusive,
    total: totals.total,
  };
}

export interface StartInput {
  cartId: string;
  paymentMethod: string;
  caller: Caller | undefined;
  requestKey: string;
  now: number;
  cartTtlMs: number;
}

export async function startCheckout(db: Database, input: StartInput): Promise<CheckoutRow> {
  const priced = await loadPricedCart(db, input.cartId, input.caller, { now: input.now, ttlMs: input.cartTtlMs });
  const blockers = checkoutBlockers(priced);
  if (blockers.length > 0 || !priced.cart.email) {
    throw new UnprocessableError({
      detail: `This cart cannot be checked out: ${blockers.map((blocker) => BLOCKER_MESSAGES[blocker] ?? blocker).join("; ")}`,
      errors: blockers.map((blocker) => ({ path: `cart.${blocker}`, message: BLOCKER_MESSAGES[blocker] ?? blocker })),
      extensions: { blockers },
    });
  }
  const snapshot = snapshotOf(priced, input.caller, priced.cart.email);
  const row: CheckoutRow = {
    id: newId("chk"), requestKey: input.requestKey, cartId: input.cartId, userId: snapshot.userId, state: "reserving",
    paymentMethod: input.paymentMethod, amount: snapshot.total, currency: snapshot.currency, snapshot: { ...snapshot },
    paymentId: null, orderId: snapshot.orderId, failure: null, stockCommittedAt: null, createdAt: input.now, updatedAt: input.now,
  };
  await insertCheckout(db, row);
  return row;
}
