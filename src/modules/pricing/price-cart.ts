/**
 * priceCart(): the whole cart arithmetic in one pure function (docs/pricing.md, "Money maths"):
 *   line.total = unitPrice × quantity; the discount is allocated over lines before tax (rounding.ts);
 *   line.tax = tax of (line.total − line.discount), per line, half-up; shipping is the chosen (else
 *   cheapest) option; total = subtotal − discount + shipping (+ tax when the rule is exclusive).
 * What cannot be known yet is a blocker with a zero amount, so the cart still answers and checkout
 * refuses it.
 */
import { discountAmount } from "./discount";
import { allocateLargestLineFirst, multiplyExact, sumExact } from "./rounding";
import { quoteShippingOptions, selectShipping } from "./shipping";
import { resolveTaxRule, taxOf } from "./tax";
import type {
  PricedLine,
  PricedTotals,
  PricingBlocker,
  PricingInput,
  PricingNotice,
  ShippingQuote,
} from "./pricing.types";

export function priceCart(input: PricingInput): PricedTotals {
  const blockers: PricingBlocker[] = [];
  const notices: PricingNotice[] = [];
  const lineTotals = input.lines.map((line) => multiplyExact(line.unitPrice, line.quantity));
  const subtotal = sumExact(lineTotals);
  if (input.lines.length === 0) blockers.push("empty_cart");

  const discount = discountAmount(input.discount, subtotal);
  if (discount.belowMinimum) notices.push("discount_below_minimum");
  const lineDiscounts = allocateLargestLineFirst(discount.amount, lineTotals);
  const discountedSubtotal = subtotal - discount.amount;

  let shippingOptions: ShippingQuote[] = [];
  let shippingOption: ShippingQuote | null = null;
  if (input.destination.country && input.lines.length > 0) {
    const weight = sumExact(input.lines.map((line) => multiplyExact(line.weightGrams, line.quantity)));
    shippingOptions = quoteShippingOptions(input.shippingOptions, input.currency, weight, discountedSubtotal);
    const selection = selectShipping(shippingOptions, input.shippingOptionId);
    if (selection.status === "quoted") shippingOption = selection.quote;
    else blockers.push(selection.status === "unavailable" ? "shipping_unavailable" : "shipping_option_unavailable");
  }
  const shipping = shippingOption?.amount ?? 0;

  const tax = resolveTaxRule(input.destination, input.taxRules);
  if (tax.status === "pending") blockers.push(tax.reason);
  const rule = tax.status === "rule" ? tax.rule : null;

  const lines: PricedLine[] = input.lines.map((line, index) => {
    const total = lineTotals[index] ?? 0;
    const share = lineDiscounts[index] ?? 0;
    return {
      sku: line.sku,
      title: line.title,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      total,
      discount: share,
      tax: rule ? taxOf(total - share, rule) : 0,
    };
  });

  const shippingTax = rule && rule.appliesToShipping ? taxOf(shipping, rule) : 0;
  const taxAmount = sumExact([...lines.map((line) => line.tax), shippingTax]);
  const inclusive = rule?.inclusive ?? false;
  const total = sumExact([discountedSubtotal, shipping, inclusive ? 0 : taxAmount]);

  return {
    currency: input.currency,
    lines,
    subtotal,
    discount: discount.amount,
    shipping,
    shippingOptions,
    shippingOption,
    tax: {
      amount: taxAmount,
      inclusive,
      status: tax.status === "pending" ? "pending" : "calculated",
      breakdown: rule ? [{ name: rule.name, rateBasisPoints: rule.rateBasisPoints, amount: taxAmount }] : [],
    },
    total,
    blockers,
    notices,
  };
}
