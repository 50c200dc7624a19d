/** Admin discount contracts: behind `discounts:manage`, strict bodies, audited. */
import { adminRoute } from "../identity/admin-route";
import { jsonBody, jsonContent, problems } from "../../platform/openapi";
import { pageSchema } from "../../platform/pagination";
import {
  createDiscountSchema,
  discountListQuerySchema,
  discountParamsSchema,
  discountSchema,
  updateDiscountSchema,
} from "./discounts.schemas";

const tags = ["admin", "discounts"];

export const createDiscount = adminRoute("discounts:manage", {
  tags,
  method: "post",
  path: "/v1/admin/discounts",
  summary: "Create a discount code (409 when the code exists)",
  request: { body: jsonBody(createDiscountSchema) },
  responses: { 201: jsonContent(discountSchema, "Created"), ...problems(400, 401, 403, 409, 413, 415) },
});

export const listDiscounts = adminRoute("discounts:manage", {
  tags,
  method: "get",
  path: "/v1/admin/discounts",
  summary: "Discount codes by code, with their usage counts",
  request: { query: discountListQuerySchema },
  responses: {
    200: jsonContent(pageSchema(discountSchema, "DiscountPage"), "A page of codes"),
    ...problems(400, 401, 403),
  },
});

export const updateDiscount = adminRoute("discounts:manage", {
  tags,
  method: "patch",
  path: "/v1/admin/discounts/{code}",
  summary: "Edit a code; `active: false` deactivates it (a limit below the uses so far is a 409)",
  request: { params: discountParamsSchema, body: jsonBody(updateDiscountSchema) },
  responses: { 200: jsonContent(discountSchema, "Updated"), ...problems(400, 401, 403, 404, 409, 413, 415) },
});
