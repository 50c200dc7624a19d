/** Admin catalog contracts: behind `catalog:write`, strict bodies, audited, each emitting `catalog.changed`. */
import { adminRoute } from "../identity/admin-route";
import { jsonBody, jsonContent, problems } from "../../platform/openapi";
import { categorySchema } from "./catalog.schemas";
import { pageSchema } from "../../platform/pagination";
import {
  adminProductListQuerySchema,
  adminProductSchema,
  createCategorySchema,
  createProductSchema,
  deleteCategoryQuerySchema,
  productIdParamsSchema,
  putVariantSchema,
  updateCategorySchema,
  updateProductSchema,
  variantParamsSchema,
} from "./catalog.admin.schemas";

const guarded = { tags: ["catalog admin"] };

export const createProduct = adminRoute("catalog:write", {
  ...guarded,
  method: "post",
  path: "/v1/admin/products",
  summary: "Create a product with its variants, prices and categories",
  request: { body: jsonBody(createProductSchema) },
  responses: { 201: jsonContent(adminProductSchema, "Created"), ...problems(400, 401, 403, 409, 415, 422) },
});

export const updateProduct = adminRoute("catalog:write", {
  ...guarded,
  method: "patch",
  path: "/v1/admin/products/{id}",
  summary: "Change fields, status (archive) or the category set of a product",
  request: { params: productIdParamsSchema, body: jsonBody(updateProductSchema) },
  responses: { 200: jsonContent(adminProductSchema, "Updated"), ...problems(400, 401, 403, 404, 409, 415, 422) },
});

export const putVariant = adminRoute("catalog:write", {
  ...guarded,
  method: "put",
  path: "/v1/admin/products/{id}/variants/{sku}",
  summary: "Create or replace one variant and its prices (status archived hides it)",
  request: { params: variantParamsSchema, body: jsonBody(putVariantSchema) },
  responses: {
    200: jsonContent(adminProductSchema, "Replaced"),
    201: jsonContent(adminProductSchema, "Created"),
    ...problems(400, 401, 403, 404, 409, 415),
  },
});

export const createCategory = adminRoute("catalog:write", {
  ...guarded,
  method: "post",
  path: "/v1/admin/categories",
  summary: "Create a category (optionally under a parent)",
  request: { body: jsonBody(createCategorySchema) },
  responses: { 201: jsonContent(categorySchema, "Created"), ...problems(400, 401, 403, 409, 415, 422) },
});

export const listProducts = adminRoute("catalog:write", {
  ...guarded,
  method: "get",
  path: "/v1/admin/products",
  summary: "Every product whatever its status (drafts and archived included), newest first; `status` and `q` filter",
  request: { query: adminProductListQuerySchema },
  responses: {
    200: jsonContent(pageSchema(adminProductSchema, "AdminProductPage"), "A page of products"),
    ...problems(400, 401, 403),
  },
});

export const updateCategory = adminRoute("catalog:write", {
  ...guarded,
  method: "patch",
  path: "/v1/admin/categories/{id}",
  summary: "Rename, re-slug, reorder or move a category (under itself or a descendant: 409)",
  request: { params: productIdParamsSchema, body: jsonBody(updateCategorySchema) },
  responses: { 200: jsonContent(categorySchema, "Updated"), ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
});

export const deleteCategory = adminRoute("catalog:write", {
  ...guarded,
  method: "delete",
  path: "/v1/admin/categories/{id}",
  summary: "Delete a category (409 while products are linked unless ?unlink=true); its children move up to its parent",
  request: { params: productIdParamsSchema, query: deleteCategoryQuerySchema },
  responses: { 204: { description: "Deleted" }, ...problems(400, 401, 403, 404, 409) },
});
