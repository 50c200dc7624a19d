import { jsonBody, jsonContent, problems } from "../../platform/openapi";
import { adminRoute } from "../identity/admin-route";
import {
  setOnHandSchema,
  setShardsSchema,
  shardPlanSchema,
  skuParamSchema,
  stockLevelSchema,
} from "./inventory.schemas";

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
  responses: {
    200: jsonContent(stockLevelSchema, "The new stock level"),
    ...problems(400, 401, 403, 404, 413, 415, 503),
  },
});

export const setShards = adminRoute("inventory:shard", {
  method: "put",
  path: "/v1/admin/inventory/{sku}/shards",
  tags: ["admin"],
  summary: "Split a hot SKU's stock across K StockLock shards (audited); the stock is redistributed evenly",
  description:
    "A flash sale on one SKU is otherwise limited to one Durable Object's throughput. Each shard " +
    "sells its slice and borrows from its siblings when it runs dry; checkout is unchanged. Lowering " +
    "K moves the free stock of the retired shards home; their reservations finish where they are.",
  request: { params: skuParamSchema, body: jsonBody(setShardsSchema) },
  responses: {
    200: jsonContent(shardPlanSchema, "The plan and each shard's stock"),
    ...problems(400, 401, 403, 404, 413, 415, 503),
  },
});
