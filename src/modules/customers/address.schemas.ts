/**
 * The one address shape of Motor: a cart's shipping and billing address, a saved address, and the
 * snapshot an order keeps. Every field beyond the v1 five is optional, so v1 clients keep working.
 *
 * Phone format (decided here, documented in docs/pricing.md): a lenient international input — a
 * leading "+", then digits with optional spaces, dots, hyphens and parentheses, at most 32
 * characters — normalised to E.164 ("+" and 8–15 digits, separators removed) before it is stored.
 * A number without its country code is refused: a courier abroad cannot dial it.
 */
import * as z from "zod";
import { humanText } from "../../platform/text";
import { isCountryCode } from "../cart/countries";

export const MAX_PHONE_INPUT = 32;
const LENIENT_PHONE = /^\+[0-9 ().-]+$/;
const E164 = /^\+[1-9][0-9]{7,14}$/;

export function toE164(phone: string): string {
  return `+${phone.replace(/[^0-9]/g, "")}`;
}

export const phoneSchema = z
  .string()
  .trim()
  .max(MAX_PHONE_INPUT)
  .regex(LENIENT_PHONE, "an international number starting with +, e.g. +34 912 345 678")
  .overwrite(toE164)
  .regex(E164, "8 to 15 digits after the + (E.164)")
  .openapi({
    example: "+34 912 345 678",
    description: "International format with the country code; stored and answered as E.164 (+34912345678)",
  });

export const countrySchema = z
  .string()
  .refine(isCountryCode, "Must be an ISO 3166-1 alpha-2 country code in upper case")
  .openapi({ example: "ES" });

export const addressSchema = z
  .object({
    // human-readable fields: NFC, no control/bidi/invisible characters (platform/text.ts)
    name: humanText(1, 100).optional().openapi({ description: "The recipient", example: "Ana García" }),
    company: humanText(1, 100).optional(),
    line1: humanText(1, 200),
    line2: humanText(1, 200).optional(),
    postalCode: humanText(1, 16),
    city: humanText(1, 100),
    region: z
      .string()
      .regex(/^[A-Z0-9]{1,3}$/, "ISO 3166-2 subdivision code without the country, e.g. CA")
      .optional()
      .openapi({
        example: "CA",
        description: "Required in a shipping address where tax rules are regional (US states)",
      }),
    country: countrySchema,
    phone: phoneSchema.optional(),
  })
  .strict()
  .openapi("Address");
export type AddressInput = z.infer<typeof addressSchema>;
