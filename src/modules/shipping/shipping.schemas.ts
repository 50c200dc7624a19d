/**
 * Admin shipping configuration shapes. A zone lists destination countries (ISO 3166-1 alpha-2, or
 * "*" for the rest of the world); a country belongs to at most one zone. An option belongs to a
 * zone and is priced by its rates: per currency, weight bands [min, max) that must not overlap (a
 * flat rate is one band 0..∞), each optionally free above a subtotal (after the discount).
 */
import * as z from "zod";
import { currencySchema } from "../../platform/money";
import { isCountryCode } from "../cart/countries";

const MAX_AMOUNT = 100_000_000;
const MAX_GRAMS = 10_000_000;

const zoneCountrySchema = z
  .string()
  .refine(
    (value) => value === "*" || isCountryCode(value),
    "an ISO 3166-1 alpha-2 code in upper case, or * for the rest of the world",
  )
  .openapi({ example: "ES" });

export const zoneInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "Iberia" }),
    countries: z
      .array(zoneCountrySchema)
      .min(1)
      .max(250)
      .refine((list) => new Set(list).size === list.length, "countries must be unique"),
  })
  .strict();

export const createZoneSchema = zoneInputSchema.openapi("NewShippingZone");
export type CreateZoneInput = z.infer<typeof createZoneSchema>;
export const updateZoneSchema = zoneInputSchema
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field")
  .openapi("ShippingZonePatch");
export type UpdateZoneInput = z.infer<typeof updateZoneSchema>;

export const zoneSchema = z
  .object({ id: z.string(), name: z.string(), countries: z.array(z.string()) })
  .openapi("ShippingZone");
export type ZoneView = z.infer<typeof zoneSchema>;

export const rateInputSchema = z
  .object({
    currency: currencySchema,
    minWeightGrams: z.number().int().min(0).max(MAX_GRAMS).default(0),
    maxWeightGrams: z
      .number()
      .int()
      .min(1)
      .max(MAX_GRAMS)
      .nullable()
      .default(null)
      .openapi({ description: "Exclusive; null = no upper bound" }),
    amount: z.number().int().min(0).max(MAX_AMOUNT).openapi({ description: "Minor units", example: 495 }),
    freeAboveAmount: z
      .number()
      .int()
      .min(0)
      .max(MAX_AMOUNT)
      .nullable()
      .default(null)
      .openapi({ description: "Free once subtotal − discount reaches this; null = never" }),
  })
  .strict()
  .refine((rate) => rate.maxWeightGrams === null || rate.maxWeightGrams > rate.minWeightGrams, {
    message: "maxWeightGrams must be above minWeightGrams",
    path: ["maxWeightGrams"],
  })
  .openapi("ShippingRateInput");
export type RateInput = z.infer<typeof rateInputSchema>;

/** Index of the first rate whose band overlaps an earlier one of the same currency, or -1. */
export function overlappingRate(rates: readonly RateInput[]): number {
  return rates.findIndex((rate, index) =>
    rates
      .slice(0, index)
      .some(
        (other) =>
          other.currency === rate.currency &&
          rate.minWeightGrams < (other.maxWeightGrams ?? Infinity) &&
          other.minWeightGrams < (rate.maxWeightGrams ?? Infinity),
      ),
  );
}

const ratesSchema = z
  .array(rateInputSchema)
  .min(1)
  .max(20)
  .superRefine((rates, context) => {
    const index = overlappingRate(rates);
    if (index >= 0)
      context.addIssue({ code: "custom", path: [index], message: "overlaps another weight band of the same currency" });
  });

const optionFields = {
  name: z.string().trim().min(1).max(100).openapi({ example: "Express" }),
  estimatedDays: z.number().int().min(0).max(365).openapi({ description: "Business days to delivery, at most" }),
  active: z.boolean(),
  rates: ratesSchema,
};

export const createOptionSchema = z
  .object({ zoneId: z.string().min(1).max(64), ...optionFields, active: optionFields.active.default(true) })
  .strict()
  .openapi("NewShippingOption");
export type CreateOptionInput = z.infer<typeof createOptionSchema>;

export const updateOptionSchema = z
  .object(optionFields)
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field")
  .openapi("ShippingOptionPatch");
export type UpdateOptionInput = z.infer<typeof updateOptionSchema>;

export const optionSchema = z
  .object({
    id: z.string(),
    zoneId: z.string(),
    name: z.string(),
    estimatedDays: z.number().int(),
    active: z.boolean(),
    rates: z.array(
      z.object({
        currency: currencySchema,
        minWeightGrams: z.number().int(),
        maxWeightGrams: z.number().int().nullable(),
        amount: z.number().int(),
        freeAboveAmount: z.number().int().nullable(),
      }),
    ),
  })
  .openapi("ShippingOption");
export type OptionView = z.infer<typeof optionSchema>;

export const idParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});
export const optionListQuerySchema = z.object({ zoneId: z.string().min(1).max(64).optional() });
