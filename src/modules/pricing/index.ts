/** The pricing engine's public surface: pure functions over integer minor units. */
export { priceCart } from "./price-cart";
export { countryNeedsRegion, resolveTaxRule, taxOf } from "./tax";
export { findShippingRate, quoteShippingOptions, selectShipping } from "./shipping";
export { discountAmount } from "./discount";
export {
  allocateLargestLineFirst,
  allocateLargestRemainder,
  basisPointsToPercent,
  isWholeBasisPoints,
  mulDivRoundHalfUp,
  percentToBasisPoints,
} from "./rounding";
export * from "./pricing.types";
