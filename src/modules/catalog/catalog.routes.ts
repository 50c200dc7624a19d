/** Public catalog contracts. Every read carries ETag + Cache-Control and answers 304 to a matching If-None-Match. */
import { createRoute } from "@hono/zod-openapi";
import { jsonContent, problems } from "../../platform/openapi";
import { pageSchema } from "../../platform/pagination";
import {
  categoryListSchema,
  currencyQuerySchema,
  listProductsQuerySchema,
  productParamsSchema,
  productSchema,
} from "./catalog.schemas";

const notModified = { 304: { description: "Not modified: If-None-Match matched the ETag" } };

export const listProducts = createRoute({
  method: "get",
  path: "/v1/products",
  tags: ["catalog"],
  summary: "Active products, keyset-paginated, filtered by category and full-text query",
  request: { query: listProductsQuerySchema },
  responses: {
    200: jsonContent(pageSchema(productSchema, "ProductPage"), "A page of products"),
    ...notModified,
    ...problems(400, 404),
  },
});

export const getProduct = createRoute({
  method: "get",
  path: "/v1/products/{idOrSlug}",
  tags: ["catalog"],
  summary: "One active product by id or slug",
  request: { params: productParamsSchema, query: currencyQuerySchema },
  responses: { 200: jsonContent(productSchema, "The product"), ...notModified, ...problems(400, 404) },
});

export const listCategories = createRoute({
  method: "get",
  path: "/v1/categories",
  tags: ["catalog"],
  summary: "Every category (flat; rebuild the tree from parentId)",
  responses: { 200: jsonContent(categoryListSchema, "The categories"), ...notModified },
});
