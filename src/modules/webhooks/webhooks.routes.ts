import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../middleware/auth";
import { bearerAuth, jsonBody, jsonContent, problems } from "../../platform/openapi";
import * as schemas from "./webhooks.schemas";

const admin = { tags: ["admin", "webhooks"], security: bearerAuth, middleware: requirePermission("webhooks:manage") };

export const registerWebhook = createRoute({
  ...admin,
  method: "post",
  path: "/v1/admin/webhooks",
  summary: "Register a merchant webhook endpoint (the signing secret is shown only in this answer)",
  request: { body: jsonBody(schemas.registerWebhookSchema) },
  responses: { 201: jsonContent(schemas.createdWebhookEndpointSchema, "Registered"), ...problems(400, 401, 403, 415) },
});

export const listWebhooks = createRoute({
  ...admin,
  method: "get",
  path: "/v1/admin/webhooks",
  summary: "Registered webhook endpoints (without their secrets)",
  responses: { 200: jsonContent(schemas.webhookEndpointListSchema, "Endpoints"), ...problems(401, 403) },
});

export const deleteWebhook = createRoute({
  ...admin,
  method: "delete",
  path: "/v1/admin/webhooks/{id}",
  summary: "Delete an endpoint and its delivery log",
  request: { params: schemas.endpointParamsSchema },
  responses: { 204: { description: "Deleted" }, ...problems(400, 401, 403, 404) },
});

export const listDeliveries = createRoute({
  ...admin,
  method: "get",
  path: "/v1/admin/webhooks/{id}/deliveries",
  summary: "Delivery log of an endpoint: status, attempts, last HTTP status, newest first",
  request: { params: schemas.endpointParamsSchema, query: schemas.deliveryListQuerySchema },
  responses: {
    200: jsonContent(schemas.webhookDeliveryPageSchema, "A page of deliveries"),
    ...problems(400, 401, 403, 404),
  },
});

export const replayDelivery = createRoute({
  ...admin,
  method: "post",
  path: "/v1/admin/webhooks/deliveries/{id}/replay",
  summary: "Send a delivery again (through the queue, with retries)",
  request: { params: schemas.deliveryParamsSchema },
  responses: { 202: jsonContent(schemas.webhookDeliverySchema, "Re-enqueued"), ...problems(400, 401, 403, 404) },
});
