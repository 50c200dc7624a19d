/**
 * Admin discount shapes. `value` is a percentage (0 < value ≤ 100, at most two decimals, stored as
 * basis points) for `percentage` codes and integer minor units for `fixed` ones, which need a
 * currency. Dates are ISO 8601; an end must come after the start. Bodies are strict.
 */
import * as z from "zod";
import { currencySchema } from "../../platform/money";
import { paginationQuerySchema } from "../../platform/pagination";
import { isWholeBasisPoints } from "../pricing";

const MAX_AMOUNT = 100_000_000;

export const discountCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' and '-'")
  .openapi({ example: "SPRING20", description: "Stored upper-case; buyers may type it in any case" });

const dateSchema = z.iso.datetime({ offset: true }).openapi({ example: "2026-12-01T00:00:00Z" });
const limitSchema = z.number().int().min(1).max(MAX_AMOUNT);
const valueSchema = z
  .number()
  .positive()
  .max(MAX_AMOUNT)
  .openapi({ description: "percentage: percent (e.g. 12.5); fixed: minor units", example: 20 });

export const DISCOUNT_TYPES = ["percentage", "fixed"] as const;

/** Rules that tie fields together; `path` names the field to blame. */
export function discountShapeProblems(shape: {
  type: (typeof DISCOUNT_TYPES)[number];
  value: number;
  currency?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
}): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (shape.type === "percentage" && shape.value > 100)
    problems.push({ path: "value", message: "a percentage is at most 100" });
  if (shape.type === "percentage" && !isWholeBasisPoints(shape.value))
    problems.push({ path: "value", message: "at most two decimals" });
  if (shape.type === "fixed" && !Number.isInteger(shape.value))
    problems.push({ path: "value", message: "a fixed discount is an integer amount of minor units" });
  if (shape.type === "fixed" && !shape.currency)
    problems.push({ path: "currency", message: "a fixed discount needs a currency" });
  if (shape.startsAt && shape.endsAt && Date.parse(shape.endsAt) <= Date.parse(shape.startsAt))
    problems.push({ path: "endsAt", message: "must be after startsAt" });
  return problems;
}

export const createDiscountSchema = z
  .object({
    code: discountCodeSchema,
    type: z.enum(DISCOUNT_TYPES),
    value: valueSchema,
    currency: currencySchema
      .optional()
      .openapi({ description: "Required for fixed codes; a code with a currency only applies to carts in it" }),
    minSubtotal: z.number().int().min(0).max(MAX_AMOUNT).default(0),
    startsAt: dateSchema.optional(),
    endsAt: dateSchema.optional(),
    usageLimit: limitSchema
      .optional()
      .openapi({ description: "Total uses; enforced inside the checkout's order batch" }),
    perCustomerLimit: limitSchema
      .optional()
      .openapi({ description: "Uses per customer (counted by user id and by order email)" }),
    active: z.boolean().default(true),
  })
  .strict()
  .superRefine((input, context) => {
    for (const problem of discountShapeProblems(input))
      context.addIssue({ code: "custom", path: [problem.path], message: problem.message });
  })
  .openapi("NewDiscount");
export type CreateDiscountInput = z.infer<typeof createDiscountSchema>;

export const updateDiscountSchema = z
  .object({
    value: valueSchema,
    currency: currencySchema.nullable(),
    minSubtotal: z.number().int().min(0).max(MAX_AMOUNT),
    startsAt: dateSchema.nullable(),
    endsAt: dateSchema.nullable(),
    usageLimit: limitSchema.nullable(),
    perCustomerLimit: limitSchema.nullable(),
    active: z
      .boolean()
      .openapi({ description: "false deactivates the code (carts holding it stop discounting, with a notice)" }),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field")
  .openapi("DiscountPatch");
export type UpdateDiscountInput = z.infer<typeof updateDiscountSchema>;

export const discountSchema = z
  .object({
    code: z.string(),
    type: z.enum(DISCOUNT_TYPES),
    value: z.number(),
    currency: currencySchema.nullable(),
    minSubtotal: z.number().int(),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    usageLimit: z.number().int().nullable(),
    perCustomerLimit: z.number().int().nullable(),
    used: z.number().int().openapi({ description: "Orders that redeemed the code" }),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("Discount");
export type DiscountView = z.infer<typeof discountSchema>;

export const discountParamsSchema = z.object({
  code: discountCodeSchema.openapi({ param: { name: "code", in: "path" } }),
});
export const discountListQuerySchema = paginationQuerySchema.extend({
  active: z.enum(["true", "false"]).optional().openapi({ description: "Only active (true) or inactive (false) codes" }),
});
export type DiscountListQuery = z.infer<typeof discountListQuerySchema>;
export const discountCursorSchema = z.object({ code: z.string().max(64) }).strict();
