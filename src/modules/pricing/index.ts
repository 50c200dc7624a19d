/** The pricing engine's public surface: pure functions over integer minor units. */
export { priceCart } from "./price-cart";
export { countryNeedsRegion, resolveTaxRule, taxOf } from "./tax";
export { findShippingRate, quoteShippingOptions, selectShipping } from "./shipping";
export { allocateProportionally, discountAmount } from "./discount";
export * from "./pricing.types";
