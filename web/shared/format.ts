/** Display helpers: money in minor units, dates, and problem codes in plain words. */
export interface Money {
  amount: number;
  currency: string;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatterOf(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat("en", { style: "currency", currency });
    formatters.set(currency, formatter);
  }
  return formatter;
}

const digitsOf = (currency: string) => formatterOf(currency).resolvedOptions().maximumFractionDigits ?? 2;

export function formatMoney(money: Money | null | undefined): string {
  if (!money) return "—";
  return formatterOf(money.currency).format(money.amount / 10 ** digitsOf(money.currency));
}

/**
 * The console's one money parse: what a person typed in major units ("12.50") as the API's minor
 * units (1250), rounded to the currency's minor unit; NaN if it is empty or not a number.
 */
export function parseMoney(major: string, currency: string): number {
  const value = Number(major.trim());
  return major.trim() === "" ? Number.NaN : Math.round(value * 10 ** digitsOf(currency));
}

export const formatDate = (iso: string) =>
  new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** Turns a machine word (`region_required`) into words (`Region required`). */
export const humanize = (code: string) => code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, " ");
