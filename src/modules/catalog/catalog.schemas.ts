/** Public catalog shapes and query parameters (zod: validation, types and OpenAPI in one place). */
import * as z from "zod";
import { currencySchema, moneySchema } from "../../platform/money";
import { orNull } from "../../platform/nullable";
import { paginationQuerySchema } from "../../platform/pagination";

export const PRODUCT_SORTS = ["newest", "title", "price_asc", "price_desc"] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/** Search text is capped: longer input is a 400, not a slow query (the builder also caps tokens). */
export const MAX_QUERY_LENGTH = 200;

export const listProductsQuerySchema = paginationQuerySchema.extend({
  category: z.string().min(1).max(100).optional().openapi({ description: "Category slug", example: "apparel" }),
  q: z
    .string()
    .max(MAX_QUERY_LENGTH)
    .optional()
    .openapi({ description: "Full-text search over title and description", example: "wool socks" }),
  sort: z
    .enum(PRODUCT_SORTS)
    .default("newest")
    .openapi({ description: "price_* sorts by the cheapest variant in `currency`" }),
  currency: currencySchema.default("EUR"),
});
export type ListProductsQuery = z.infer<typeof listProductsQuerySchema>;

export const productParamsSchema = z.object({
  idOrSlug: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "idOrSlug", in: "path" }, example: "classic-tee" }),
});
export const currencyQuerySchema = z.object({ currency: currencySchema.default("EUR") });

export const categoryRefSchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string() })
  .openapi("CategoryRef");

export const variantSchema = z
  .object({
    sku: z.string(),
    title: z.string(),
    options: z.record(z.string(), z.string()),
    weightGrams: z.number().int(),
    price: orNull(moneySchema).openapi({
      description: "null when the variant has no price in the requested currency",
    }),
    available: z
      .number()
      .int()
      .min(0)
      .openapi({ description: "On hand minus reserved, never below 0; at most 15 s old" }),
  })
  .openapi("Variant");
export type VariantView = z.infer<typeof variantSchema>;

export const productSchema = z
  .object({
    id: z.string().openapi({ example: "prod_classic_tee" }),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    images: z.array(z.string()),
    categories: z.array(categoryRefSchema),
    variants: z.array(variantSchema),
  })
  .openapi("Product");
export type ProductView = z.infer<typeof productSchema>;

export const categorySchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    parentId: z.string().nullable(),
    position: z.number().int(),
  })
  .openapi("Category");
export type CategoryView = z.infer<typeof categorySchema>;

export const categoryListSchema = z.object({ data: z.array(categorySchema) }).openapi("CategoryList");
