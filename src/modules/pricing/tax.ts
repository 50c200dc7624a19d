/**
 * Which tax rule applies to a destination, and the tax of one amount under it.
 * Inclusive (EU VAT): the price already contains the tax; tax = round(gross × r / (1 + r)).
 * Exclusive (US sales tax): tax = round(net × r), added on top.
 */
import { mulDivRoundHalfUp } from "./rounding";
import { BASIS_POINTS, type Destination, type TaxRule } from "./pricing.types";

export type TaxResolution =
  | { status: "rule"; rule: TaxRule }
  | { status: "pending"; reason: "country_required" | "region_required" | "tax_rule_missing" };

/**
 * A region rule wins over the country-wide rule. A country whose rules are ALL regional (the US)
 * cannot be taxed without a region, and a destination without any rule is not known to be
 * tax-free: both are "pending", never a silent zero. The merchant marks a destination tax-free
 * with a 0 bp rule (zero-rated exports, a US state without sales tax).
 */
export function resolveTaxRule(destination: Destination, rules: readonly TaxRule[]): TaxResolution {
  if (!destination.country) return { status: "pending", reason: "country_required" };
  const forCountry = rules.filter((rule) => rule.country === destination.country);
  const region = destination.region ?? "";
  const regional = region ? forCountry.find((rule) => rule.region === region) : undefined;
  if (regional) return { status: "rule", rule: regional };
  const countryWide = forCountry.find((rule) => rule.region === "");
  if (countryWide) return { status: "rule", rule: countryWide };
  if (forCountry.length > 0 && !region) return { status: "pending", reason: "region_required" };
  return { status: "pending", reason: "tax_rule_missing" };
}

/** Whether any rule of this country is regional-only, i.e. an address there needs a region. */
export function countryNeedsRegion(country: string, rules: readonly TaxRule[]): boolean {
  const forCountry = rules.filter((rule) => rule.country === country);
  return forCountry.length > 0 && !forCountry.some((rule) => rule.region === "");
}

export function taxOf(amount: number, rule: TaxRule): number {
  return rule.inclusive
    ? mulDivRoundHalfUp(amount, rule.rateBasisPoints, BASIS_POINTS + rule.rateBasisPoints)
    : mulDivRoundHalfUp(amount, rule.rateBasisPoints, BASIS_POINTS);
}
