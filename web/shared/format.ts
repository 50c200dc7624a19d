/** Display helpers: money in minor units, dates, and problem codes in plain words. */
export interface Money {
  amount: number;
  currency: string;
}

const formatters = new Map<string, Intl.NumberFormat>();

export function formatMoney(money: Money | null | undefined): string {
  if (!money) return "—";
  let formatter = formatters.get(money.currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat("en", { style: "currency", currency: money.currency });
    formatters.set(money.currency, formatter);
  }
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(money.amount / 10 ** digits);
}

export const formatDate = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** Turns a machine word (`region_required`) into words (`Region required`). */
export const humanize = (code: string) => code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, " ");
