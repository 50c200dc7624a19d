/**
 * Admin tax rule shapes. A rule taxes a country, or one region of it (ISO 3166-2 code without the
 * country); the rate is basis points (2100 = 21 %). A 0 bp rule marks a destination tax-free: a
 * destination without any rule is "pending" and cannot be checked out.
 */
import * as z from "zod";
import { countrySchema } from "../customers/address.schemas";
import { paginationQuerySchema } from "../../platform/pagination";

const regionSchema = z
  .string()
  .regex(/^[A-Z0-9]{1,3}$/, "ISO 3166-2 subdivision code without the country, e.g. CA")
  .openapi({ example: "CA" });
const rateSchema = z
  .number()
  .int()
  .min(0)
  .max(10_000)
  .openapi({ description: "Basis points: 2100 = 21 %; 0 = tax-free", example: 2100 });

const ruleFields = {
  name: z.string().trim().min(1).max(100).openapi({ example: "IVA" }),
  rateBasisPoints: rateSchema,
  inclusive: z.boolean().openapi({
    description: "true: catalog prices already contain the tax (EU VAT); false: added on top (US sales tax)",
  }),
  appliesToShipping: z.boolean(),
};

export const createTaxRuleSchema = z
  .object({
    country: countrySchema,
    region: regionSchema.optional().openapi({ description: "Omit for the whole country" }),
    ...ruleFields,
    appliesToShipping: ruleFields.appliesToShipping.default(true),
  })
  .strict()
  .openapi("NewTaxRule");
export type CreateTaxRuleInput = z.infer<typeof createTaxRuleSchema>;

export const updateTaxRuleSchema = z
  .object(ruleFields)
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field")
  .openapi("TaxRulePatch");
export type UpdateTaxRuleInput = z.infer<typeof updateTaxRuleSchema>;

export const taxRuleSchema = z
  .object({ id: z.string(), country: z.string(), region: z.string().nullable(), ...ruleFields })
  .openapi("TaxRule");
export type TaxRuleView = z.infer<typeof taxRuleSchema>;

export const taxRuleParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "tax_es" }),
});
export const taxRuleListQuerySchema = paginationQuerySchema.extend({ country: countrySchema.optional() });
export type TaxRuleListQuery = z.infer<typeof taxRuleListQuerySchema>;
export const taxRuleCursorSchema = z
  .object({ country: z.string().max(2), region: z.string().max(3), id: z.string().max(64) })
  .strict();
