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
