/** Admin catalog contracts: behind `catalog:write`, strict bodies, audited, each emitting `catalog.changed`. */
import { adminRoute } from "../identity/admin-route";
import { jsonBody, jsonContent, problems } from "../../platform/openapi";
import { categorySchema } from "./catalog.schemas";
import { adminProductSchema, createCategorySchema, createProductSchema, productIdParamsSchema, putVariantSchema, updateProductSchema, variantParamsSchema } from "./catalog.admin.schemas";

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
  responses: { 200: jsonContent(adminProductSchema, "Replaced"), 201: jsonContent(adminProductSchema, "Created"), ...problems(400, 401, 403, 404, 409, 415) },
});

export const createCategory = adminRoute("catalog:write", {
  ...guarded,
  method: "post",
  path: "/v1/admin/categories",
  summary: "Create a category (optionally under a parent)",
  request: { body: jsonBody(createCategorySchema) },
  responses: { 201: jsonContent(categorySchema, "Created"), ...problems(400, 401, 403, 409, 415, 422) },
});
