/**
 * Inputs and outputs of the pricing engine. Plain data, integer minor units and basis points only
 * (2100 bp = 21 %); the engine never sees HTTP, D1 or floats.
 */
export const BASIS_POINTS = 10_000;

export interface PricingLineInput {
  sku: string;
  title: string;
  quantity: number;
  /** Catalog unit price in the cart currency (gross when the destination's tax is inclusive). */
  unitPrice: number;
  weightGrams: number;
}

export interface TaxRule {
  name: string;
  country: string;
  /** "" = the whole country. */
  region: string;
  rateBasisPoints: number;
  inclusive: boolean;
  appliesToShipping: boolean;
}

export interface ShippingRate {
  currency: string;
  minWeightGrams: number;
  /** Exclusive upper bound; null = no upper bound (a flat rate is 0..null). */
  maxWeightGrams: number | null;
  amount: number;
  /** Shipping is free when subtotal − discount reaches this; null = never free. */
  freeAboveAmount: number | null;
}

/** One shipping option of the destination's zone with all its rates. */
export interface ShippingOptionInput {
  id: string;
  name: string;
  estimatedDays: number;
  rates: ShippingRate[];
}

/** An option that fits the cart, with what it costs this cart. */
export interface ShippingQuote {
  id: string;
  name: string;
  amount: number;
  estimatedDays: number;
}

export type DiscountInput =
  | { code: string; kind: "percentage"; percentBasisPoints: number; minSubtotal: number }
  | { code: string; kind: "fixed"; amount: number; minSubtotal: number };

export interface Destination {
  country: string | null;
  region: string | null;
}

export interface PricingInput {
  currency: string;
  lines: PricingLineInput[];
  destination: Destination;
  /** Rules of the destination country (others are ignored). */
  taxRules: TaxRule[];
  /** The options of the destination's shipping zone (the caller resolves the zone). */
  shippingOptions: ShippingOptionInput[];
  /** The buyer's choice, or null for the cheapest that fits. */
  shippingOptionId: string | null;
  discount: DiscountInput | null;
}

/** Why a cart cannot be checked out yet; the cart still answers with what can be computed. */
export type PricingBlocker =
  | "empty_cart"
  | "country_required"
  | "region_required"
  | "tax_rule_missing"
  | "shipping_unavailable"
  | "shipping_option_unavailable";
export type PricingNotice = "discount_below_minimum";

export interface PricedLine {
  sku: string;
  title: string;
  quantity: number;
  unitPrice: number;
  /** unitPrice × quantity, before the discount. */
  total: number;
  /** This line's share of the cart discount. */
  discount: number;
  /** Tax of (total − discount), rounded on its own (per-line rule). */
  tax: number;
}

export interface TaxBreakdownEntry {
  name: string;
  rateBasisPoints: number;
  amount: number;
}

export interface PricedTotals {
  currency: string;
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  /** The options that fit, cheapest first, and the one whose amount is in `shipping` (or null). */
  shippingOptions: ShippingQuote[];
  shippingOption: ShippingQuote | null;
  tax: {
    amount: number;
    inclusive: boolean;
    /** "pending" = the destination is not known well enough to tax (amount is 0, checkout refuses). */
    status: "calculated" | "pending";
    breakdown: TaxBreakdownEntry[];
  };
  total: number;
  blockers: PricingBlocker[];
  notices: PricingNotice[];
}
