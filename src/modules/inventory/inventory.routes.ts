import { jsonBody, jsonContent, problems } from "../../platform/openapi";
import { adminRoute } from "../identity/admin-route";
import { setOnHandSchema, skuParamSchema, stockLevelSchema } from "./inventory.schemas";

export const getStock = adminRoute("inventory:read", {
  method: "get",
  path: "/v1/admin/inventory/{sku}",
  tags: ["admin"],
  summary: "Stock of one SKU: on hand, reserved by checkouts, available",
  request: { params: skuParamSchema },
  responses: { 200: jsonContent(stockLevelSchema, "Stock level"), ...problems(400, 401, 403, 404, 503) },
});

export const setStock = adminRoute("inventory:write", {
  method: "put",
  path: "/v1/admin/inventory/{sku}",
  tags: ["admin"],
  summary: "Set the on-hand stock of one SKU (audited, emits inventory.changed)",
  request: { params: skuParamSchema, body: jsonBody(setOnHandSchema) },
  responses: { 200: jsonContent(stockLevelSchema, "The new stock level"), ...problems(400, 401, 403, 404, 413, 415, 503) },
});
