/**
 * The first step of a checkout: price the cart on the server (never trusting the client), refuse a
 * cart that cannot be checked out (422, with the reasons) or an amount no provider may charge, and
 * write the durable checkout record with a snapshot of what will be charged and ordered. Every
 * refusal here happens before any stock is reserved.
 */
import type { Database } from "../../db/client";
import type { Caller } from "../../platform/context";
import { type AppError, RateLimitedError, UnprocessableError } from "../../platform/errors";
import { CartChangedError, CheckoutInProgressError, isChangedCartError, lockedCartError } from "../cart/cart-lock";
import { newId } from "../../platform/ids";
import type { PricedCart } from "../cart/cart-pricing";
import { minimumCharge, type CaptureMethod } from "../payments/payment-provider";
import { assertConsented, type Consent } from "./checkout.consent";
import { MAX_LIVE_HOLDS_PER_CLIENT, MAX_UNITS_PER_SKU_PER_CHECKOUT, STUCK_AFTER_MS } from "./checkout.policy";
import { findCartCheckout, insertCheckout, isHoldsExceededError, type CheckoutRow } from "./checkout.repository";
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
  below_minimum_charge: "the total is below the smallest amount that can be charged",
  quantity_above_hold_limit: `one checkout may hold at most ${MAX_UNITS_PER_SKU_PER_CHECKOUT} units of a product`,
};

export function checkoutBlockers(priced: PricedCart): string[] {
  const blockers = [...priced.view.blockers];
  if (!priced.cart.email) blockers.push("email_required");
  if (!priced.cart.shippingAddress) blockers.push("shipping_address_required");
  // a zero total is a free order (nothing is charged); a positive total under the provider's minimum cannot be paid
  const { total, currency } = priced.totals;
  if (total > 0 && total < minimumCharge(currency)) blockers.push("below_minimum_charge");
  // a checkout holds its units while the buyer pays: no one checkout may take a whole shelf (checkout.policy.ts)
  if (priced.totals.lines.some((line) => line.quantity > MAX_UNITS_PER_SKU_PER_CHECKOUT))
    blockers.push("quantity_above_hold_limit");
  return blockers;
}

function snapshotFromPricedCart(priced: PricedCart, caller: Caller | undefined, email: string): CheckoutSnapshot {
  const { totals, cart } = priced;
  return {
    orderId: newId("ord"),
    userId: caller?.userId ?? cart.userId ?? null,
    email,
    currency: totals.currency,
    shippingAddress: cart.shippingAddress ? { ...cart.shippingAddress } : null,
    billingAddress: cart.billingAddress ? { ...cart.billingAddress } : null,
    lines: totals.lines.map(({ sku, title, quantity, unitPrice, total, discount, tax }) => ({
      sku,
      title,
      quantity,
      unitPrice,
      total,
      discount,
      tax,
    })),
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
  consent?: Consent;
  caller: Caller | undefined;
  requestKey: string;
  now: number;
  /** Where the buyer comes back after authenticating (already allow-listed: checkout.return-url.ts). */
  returnUrl?: string | undefined;
  /** Who holds the stock (`clientKeyOf`). */
  clientKey: string;
  captureMethod: CaptureMethod;
  /**
   * Asked when the cart's live checkout blocks the insert, after every check passed: ends it if the
   * same buyer's payment still waits for them (checkout.service.ts); true when it did.
   */
  replace?: (other: CheckoutRow) => Promise<boolean>;
}

/** `priced`: the cart as priced now on the server (read in the checkout's first batch). */
export async function startCheckout(db: Database, input: StartInput, priced: PricedCart): Promise<CheckoutRow> {
  const blockers = checkoutBlockers(priced);
  if (blockers.length > 0 || !priced.cart.email) {
    throw new UnprocessableError({
      detail: `This cart cannot be checked out: ${blockers.map((blocker) => BLOCKER_MESSAGES[blocker] ?? blocker).join("; ")}`,
      errors: blockers.map((blocker) => ({ path: `cart.${blocker}`, message: BLOCKER_MESSAGES[blocker] ?? blocker })),
      extensions: { blockers },
    });
  }
  // the total compared is the one stored below as `amount`, the only amount the charge sends (409 price-changed)
  await assertConsented(priced, input.consent);
  const snapshot = snapshotFromPricedCart(priced, input.caller, priced.cart.email);
  const row: CheckoutRow = {
    id: newId("chk"),
    requestKey: input.requestKey,
    cartId: input.cartId,
    userId: snapshot.userId,
    state: "reserving",
    paymentMethod: input.paymentMethod,
    amount: snapshot.total,
    currency: snapshot.currency,
    snapshot: { ...snapshot },
    paymentId: null,
    orderId: snapshot.orderId,
    failure: null,
    stockCommittedAt: null,
    attempts: 0,
    nextAttemptAt: input.now + STUCK_AFTER_MS,
    createdAt: input.now,
    updatedAt: input.now,
    returnUrl: input.returnUrl ?? null,
    nextAction: null,
    clientKey: input.clientKey,
    captureMethod: input.captureMethod,
    chargeAttempt: 0,
  };
  // the insert is guarded by the cart's updated_at as priced: an edit that landed since then was
  // answered 200, so this snapshot would drop it (cart-lock.ts); edits after the insert get a 409
  const insert = () =>
    insertCheckout(db, row, priced.cart.updatedAt, MAX_LIVE_HOLDS_PER_CLIENT).then(
      (inserted) => (inserted ? "inserted" : "busy"),
      (error: unknown) => {
        if (isChangedCartError(error)) return "busy";
        if (isHoldsExceededError(error)) return "holds";
        throw error;
      },
    );
  let outcome = await insert();
  if (outcome === "inserted") return row;
  const other = await findCartCheckout(db, input.cartId);
  // a new checkout by the same buyer replaces the one that waits for them, then takes its place once
  if (other && input.replace && (await input.replace(other))) outcome = await insert();
  if (outcome === "inserted") return row;
  if (outcome === "holds") throw tooManyHolds();
  throw await cartBusy(db, input.cartId);
}

/** 429: one client holds as many live checkouts as it may (checkout.policy.ts). */
export function tooManyHolds(): RateLimitedError {
  return new RateLimitedError({
    detail: `One buyer may have at most ${MAX_LIVE_HOLDS_PER_CLIENT} checkouts in progress; finish or abandon one first`,
    headers: { "Retry-After": "60" },
  });
}

/**
 * Why the insert wrote nothing. One cart, one live checkout: another tab, key or retry of a
 * different request gets a 409 (with Retry-After while that checkout can still finish, final once
 * it completed); with no other checkout, the cart itself changed after it was priced.
 */
async function cartBusy(db: Database, cartId: string): Promise<AppError> {
  const other = await findCartCheckout(db, cartId);
  if (!other) return new CartChangedError();
  if (other.state === "completed") return lockedCartError(other.state);
  return new CheckoutInProgressError(
    "Another checkout of this cart is already in progress (another tab or Idempotency-Key); wait for " +
      "it, then retry — do not start a second payment",
  );
}
