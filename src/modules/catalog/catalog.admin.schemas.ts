/** Admin write bodies (strict: unknown fields are a 400) and the admin view of a product. */
import * as z from "zod";
import { humanText } from "../../platform/text";
import { PRODUCT_STATUSES } from "../../db/schema/catalog";
import { currencySchema, moneySchema } from "../../platform/money";
import { paginationQuerySchema } from "../../platform/pagination";
import { MAX_QUERY_LENGTH } from "./catalog.schemas";

const unique = <T>(values: T[]) => new Set(values).size === values.length;

// Each repetition starts with "-", so a string splits one way only: linear, whatever its length.
export const slugSchema = z
  .string()
  .min(1)
  .max(100)
  // eslint-disable-next-line security/detect-unsafe-regex -- reviewed false positive (docs/operations.md)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lower-case words separated by single hyphens")
  .openapi({ example: "classic-tee" });
export const skuSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' and '-'")
  .openapi({ example: "CLASSIC-TEE-M" });
const idSchema = z.string().min(1).max(64);

const priceInputSchema = z
  .object({ currency: currencySchema, amount: z.number().int().min(0).max(100_000_000) })
  .strict();
const priceListSchema = z
  .array(priceInputSchema)
  .max(2)
  .refine((list) => unique(list.map((price) => price.currency)), "one price per currency");

const variantFields = {
  title: humanText(1, 200),
  options: z
    .record(humanText(1, 50), humanText(0, 100))
    .refine((options) => Object.keys(options).length <= 10, "at most 10 options")
    .default({}),
  weightGrams: z.number().int().min(0).max(1_000_000).default(0),
  position: z.number().int().min(0).max(10_000).optional(),
  prices: priceListSchema,
};

export const newVariantSchema = z
  .object({ sku: skuSchema, ...variantFields })
  .strict()
  .openapi("NewVariant");
export const putVariantSchema = z
  .object({ ...variantFields, status: z.enum(["active", "archived"]).default("active") })
  .strict()
  .openapi("VariantInput");
export type NewVariantInput = z.infer<typeof newVariantSchema>;
export type PutVariantInput = z.infer<typeof putVariantSchema>;

const productFields = {
  slug: slugSchema,
  title: humanText(1, 200),
  description: humanText(0, 5_000, { multiline: true }),
  status: z.enum(PRODUCT_STATUSES),
  images: z.array(z.url({ protocol: /^https?$/ }).max(2_000)).max(20),
  categoryIds: z.array(idSchema).max(20).refine(unique, "category ids must be unique"),
};

export const createProductSchema = z
  .object({
    ...productFields,
    description: productFields.description.default(""),
    status: productFields.status.default("draft"),
    images: productFields.images.default([]),
    categoryIds: productFields.categoryIds.default([]),
    variants: z
      .array(newVariantSchema)
      .min(1)
      .max(100)
      .refine((list) => unique(list.map((variant) => variant.sku)), "SKUs must be unique"),
  })
  .strict()
  .openapi("NewProduct");
export type CreateProductInput = z.infer<typeof createProductSchema>;

export const updateProductSchema = z
  .object(productFields)
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field")
  .openapi("ProductPatch");
export type UpdateProductInput = z.infer<typeof updateProductSchema>;

export const createCategorySchema = z
  .object({
    slug: slugSchema,
    name: humanText(1, 100),
    parentId: idSchema.nullable().default(null),
    position: z.number().int().min(0).max(10_000).default(0),
  })
  .strict()
  .openapi("NewCategory");
export type CreateCategoryInput = z.infer<typeof createCategorySchema>;

export const productIdParamsSchema = z.object({ id: idSchema.openapi({ param: { name: "id", in: "path" } }) });
export const variantParamsSchema = productIdParamsSchema.extend({
  sku: skuSchema.openapi({ param: { name: "sku", in: "path" } }),
});

export const adminProductSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    status: z.enum(PRODUCT_STATUSES),
    images: z.array(z.string()),
    categoryIds: z.array(z.string()),
    variants: z.array(
      z.object({
        sku: z.string(),
        title: z.string(),
        options: z.record(z.string(), z.string()),
        weightGrams: z.number().int(),
        position: z.number().int(),
        status: z.enum(["active", "archived"]),
        prices: z.array(moneySchema),
      }),
    ),
    updatedAt: z.number().int(),
  })
  .openapi("AdminProduct");
export type AdminProductView = z.infer<typeof adminProductSchema>;

export const updateCategorySchema = z
  .object({
    slug: slugSchema,
    name: z.string().trim().min(1).max(100),
    parentId: idSchema.nullable().openapi({
      description: "Move under another category (null = top level); under itself or a descendant is a 409",
    }),
    position: z.number().int().min(0).max(10_000),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field")
  .openapi("CategoryPatch");
export type UpdateCategoryInput = z.infer<typeof updateCategorySchema>;

export const deleteCategoryQuerySchema = z.object({
  unlink: z.enum(["true", "false"]).default("false").openapi({
    description: "true: remove the category from its products first; otherwise a linked category is a 409",
  }),
});

export const adminProductListQuerySchema = paginationQuerySchema.extend({
  status: z.enum(PRODUCT_STATUSES).optional().openapi({ description: "Only this status; every status by default" }),
  q: z
    .string()
    .max(MAX_QUERY_LENGTH)
    .optional()
    .openapi({ description: "Full-text search over title and description" }),
});
export type AdminProductListQuery = z.infer<typeof adminProductListQuerySchema>;
export const adminProductCursorSchema = z.object({ t: z.number().int(), id: z.string().max(64) }).strict();
