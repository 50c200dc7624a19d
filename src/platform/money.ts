/** Money is an integer amount of minor units and an ISO 4217 currency; never a float. */
import * as z from "zod";

export const SUPPORTED_CURRENCIES = ["EUR", "USD"] as const;
export const currencySchema = z.enum(SUPPORTED_CURRENCIES).openapi({ example: "EUR" });
export type Currency = z.infer<typeof currencySchema>;

export const moneySchema = z
  .object({
    amount: z.number().int().openapi({ example: 1999, description: "Integer minor units (cents)" }),
    currency: currencySchema,
  })
  .openapi("Money");
export type Money = z.infer<typeof moneySchema>;

export function money(amount: number, currency: Currency): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`money amount must be an integer, got ${amount}`);
  return { amount, currency };
}

/** Integer minor units as a plain amount for people (emails, problem details): 1999 EUR → "19.99 EUR" (EUR and USD have 2 decimals). */
export function formatMoney(minorUnits: number, currency: string): string {
  const sign = minorUnits < 0 ? "-" : "";
  const absolute = Math.abs(minorUnits);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, "0")} ${currency}`;
}
