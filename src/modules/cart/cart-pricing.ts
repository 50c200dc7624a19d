/**
 * Prices a stored cart with the pure engine, from the catalog as it is NOW (never from anything a
 * client sent or the cart stored), in one D1 round trip (the cart's own read included). `loadPricedCart` is the contract checkout
 * re-uses to re-price on the server (see docs/pricing.md).
 */
import type { SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../../db/client";
import type { Caller } from "../../platform/context";
import { money, type Currency } from "../../platform/money";
import {
  priceCart,
  type PricedTotals,
  type PricingLineInput,
  type ShippingOptionInput,
  type ShippingQuote,
} from "../pricing";
import { visibleCart, type CartContext } from "./cart.access";
import {
  customerKeys,
  discountEligibility,
  selectCustomerUses,
  storedCustomerKeys,
  type DiscountRefusal,
} from "../discounts/discounts.rules";
import { selectDiscountCode, type DiscountRow } from "../discounts/discounts.repository";
import {
  selectCartLines,
  selectOpenCart,
  selectTaxRules,
  selectZoneShippingRates,
  storedCartColumn,
  type CartLineRow,
  type CartRow,
  type TaxRuleRow,
  type ZoneShippingRateRow,
} from "./cart.repository";
import type { CartView, ShippingQuoteView } from "./cart.schemas";

export interface PricedCart {
  cart: CartRow;
  totals: PricedTotals;
  /** SKUs in the cart that are no longer sold (archived, or no price in the cart currency). */
  unavailableSkus: string[];
  /** The code whose discount is in `totals.discount`, or null. */
  appliedDiscountCode: string | null;
  readyForCheckout: boolean;
  view: CartView;
}

function isSellable(row: CartLineRow): row is CartLineRow & { unitPrice: number; title: string; weightGrams: number } {
  return (
    row.unitPrice !== null &&
    row.title !== null &&
    row.weightGrams !== null &&
    row.variantStatus === "active" &&
    row.productStatus === "active"
  );
}

type Batchable = BatchItem<"sqlite">;
type PricingReads = [CartLineRow[], TaxRuleRow[], ZoneShippingRateRow[], DiscountRow[], { used: number }[]];

/** What the pricing reads are keyed by: values of a cart in hand, or SQL over the stored row. */
interface PricingKeys {
  cartId: string;
  currency: string | SQL;
  country: string | SQL;
  discountCode: string | SQL;
  customers: readonly string[] | SQL;
}

function pricingReads(db: Database, keys: PricingKeys) {
  return [
    selectCartLines(db, keys.cartId, keys.currency),
    selectTaxRules(db, keys.country),
    selectZoneShippingRates(db, keys.currency, keys.country),
    selectDiscountCode(db, keys.discountCode),
    selectCustomerUses(db, keys.discountCode, keys.customers),
  ] as const;
}

/**
 * Runs `writes` and then the pricing reads in ONE D1 batch (one round trip, one transaction: the
 * reads see the writes). `cart` must already carry the written changes. Returns each write's
 * result (e.g. to check a conditional write's changed-row count) and the priced cart.
 */
export async function writeAndPrice(
  context: Pick<CartContext, "db" | "now" | "ttlMs">,
  cart: CartRow,
  writes: Batchable[],
): Promise<{ priced: PricedCart; writeResults: D1Result[] }> {
  const { db } = context;
  const all = pricingReads(db, {
    cartId: cart.id,
    currency: cart.currency,
    country: cart.country ?? "",
    discountCode: cart.discountCode ?? "",
    customers: customerKeys(cart.userId, cart.email),
  });
  // a cart without a code needs neither the code nor the customer's uses of it
  const reads = cart.discountCode ? all : all.slice(0, 3);
  const results = (await db.batch([...writes, ...reads] as unknown as [Batchable, ...Batchable[]])) as unknown[];
  const rows = results.slice(writes.length);
  const priced = priceFromRows(context, cart, (cart.discountCode ? rows : [...rows, [], []]) as PricingReads);
  return { priced, writeResults: results.slice(0, writes.length) as D1Result[] };
}

/**
 * The open cart `cartId` and all its pricing reads, keyed by the id alone (each read takes the
 * cart's currency, country, code and customer from the stored row in SQL), so that another batch
 * can carry them: checkout reads the cart, its prices and its idempotency claim in one round trip.
 */
export function storedCartReads(db: Database, cartId: string) {
  const keys = {
    cartId,
    currency: storedCartColumn(cartId, "currency"),
    country: storedCartColumn(cartId, "country"),
    discountCode: storedCartColumn(cartId, "discountCode"),
    customers: storedCustomerKeys(cartId),
  };
  return [selectOpenCart(db, cartId), ...pricingReads(db, keys)] as const;
}

export type StoredCartRows = Readonly<[CartRow[], ...PricingReads]>;

/** Prices what `storedCartReads` answered; NotFoundError (404) for a cart this caller may not use now. */
export function pricedStoredCart(
  context: Pick<CartContext, "caller" | "now" | "ttlMs">,
  [[row], ...reads]: StoredCartRows,
): PricedCart {
  return priceFromRows(context, visibleCart(row, context), reads);
}

export async function priceStoredCart(
  context: Pick<CartContext, "db" | "now" | "ttlMs">,
  cart: CartRow,
): Promise<PricedCart> {
  return (await writeAndPrice(context, cart, [])).priced;
}

/** Rate rows (one per rate) grouped into the options the engine prices. */
function optionsOf(rows: ZoneShippingRateRow[]): ShippingOptionInput[] {
  const options = new Map<string, ShippingOptionInput>();
  for (const { optionId, name, estimatedDays, ...rate } of rows) {
    const option = options.get(optionId) ?? { id: optionId, name, estimatedDays, rates: [] };
    option.rates.push(rate);
    options.set(optionId, option);
  }
  return [...options.values()];
}

function priceFromRows(
  context: Pick<CartContext, "now" | "ttlMs">,
  cart: CartRow,
  [lineRows, rules, rates, [discountRow], uses]: Readonly<PricingReads>,
): PricedCart {
  const sellable = lineRows.filter(isSellable);
  const unavailableSkus = lineRows.filter((row) => !isSellable(row)).map((row) => row.sku);
  const customerUses = Math.max(0, ...uses.map((row) => row.used));
  const eligibility = cart.discountCode
    ? discountEligibility(discountRow, cart.currency, context.now, customerUses)
    : null;
  const lines: PricingLineInput[] = sellable.map((row) => ({
    sku: row.sku,
    title: row.title,
    quantity: row.quantity,
    unitPrice: row.unitPrice,
    weightGrams: row.weightGrams,
  }));
  const totals = priceCart({
    currency: cart.currency,
    lines,
    destination: { country: cart.country, region: cart.shippingAddress?.region ?? null },
    taxRules: rules,
    shippingOptions: optionsOf(rates),
    shippingOptionId: cart.shippingOptionId ?? null,
    discount: eligibility?.ok ? eligibility.input : null,
  });
  const blockers: string[] = [...totals.blockers, ...(unavailableSkus.length > 0 ? ["sku_unavailable"] : [])];
  const notices: string[] = [
    ...totals.notices,
    ...(eligibility && !eligibility.ok ? [discountNotice(eligibility.reason)] : []),
  ];
  const readyForCheckout = blockers.length === 0;
  const appliedDiscountCode = eligibility?.ok && totals.discount > 0 ? eligibility.input.code : null;
  return {
    cart,
    totals,
    unavailableSkus,
    appliedDiscountCode,
    readyForCheckout,
    view: toView(cart, totals, {
      blockers,
      notices,
      unavailableSkus,
      readyForCheckout,
      expiresAt: cart.updatedAt + context.ttlMs,
    }),
  };
}

function discountNotice(reason: DiscountRefusal): string {
  return `discount_${reason}`;
}

function quoteView(option: ShippingQuote, currency: Currency): ShippingQuoteView {
  return { ...option, amount: money(option.amount, currency) };
}

/** The options that fit the cart now, cheapest first, as the buyer sees them. */
export function shippingQuotesOf(priced: PricedCart): ShippingQuoteView[] {
  return priced.totals.shippingOptions.map((option) => quoteView(option, priced.cart.currency as Currency));
}

/**
 * For checkout: the cart `cartId` as `caller` may see it, priced now. Throws NotFoundError (404)
 * for a missing, expired, checked-out or someone else's cart. Checkout must refuse (422) unless
 * `readyForCheckout`, charge `totals.total`, write `view.lines`, and redeem `appliedDiscountCode`
 * with `discountRedemptionStatements` in its order batch.
 */
export async function loadPricedCart(
  db: Database,
  cartId: string,
  caller: Caller | undefined,
  options: { now: number; ttlMs: number },
): Promise<PricedCart> {
  return pricedStoredCart({ caller, ...options }, await db.batch(storedCartReads(db, cartId)));
}

interface ViewExtras {
  blockers: string[];
  notices: string[];
  unavailableSkus: string[];
  readyForCheckout: boolean;
  expiresAt: number;
}

function toView(cart: CartRow, totals: PricedTotals, extras: ViewExtras): CartView {
  const currency = cart.currency as Currency;
  const m = (amount: number) => money(amount, currency);
  return {
    id: cart.id,
    currency,
    country: cart.country,
    email: cart.email,
    shippingAddress: cart.shippingAddress ?? null,
    billingAddress: cart.billingAddress ?? null,
    shippingOptionId: cart.shippingOptionId ?? null,
    shippingOption: totals.shippingOption ? quoteView(totals.shippingOption, currency) : null,
    discountCode: cart.discountCode,
    lines: totals.lines.map((line) => ({
      sku: line.sku,
      title: line.title,
      quantity: line.quantity,
      unitPrice: m(line.unitPrice),
      total: m(line.total),
      discount: m(line.discount),
      tax: m(line.tax),
    })),
    subtotal: m(totals.subtotal),
    discount: m(totals.discount),
    shipping: m(totals.shipping),
    tax: {
      amount: totals.tax.amount,
      currency,
      inclusive: totals.tax.inclusive,
      status: totals.tax.status,
      breakdown: totals.tax.breakdown,
    },
    total: m(totals.total),
    readyForCheckout: extras.readyForCheckout,
    blockers: extras.blockers,
    notices: extras.notices,
    unavailableSkus: extras.unavailableSkus,
    expiresAt: new Date(extras.expiresAt).toISOString(),
  };
}
