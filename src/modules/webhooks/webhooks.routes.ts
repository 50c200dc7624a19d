import { adminRoute } from "../identity/admin-route";
import { jsonBody, jsonContent, problems } from "../../platform/openapi";
import * as schemas from "./webhooks.schemas";

export const registerWebhook = adminRoute("webhooks:manage", {
  method: "post",
  path: "/v1/admin/webhooks",
  tags: ["admin", "webhooks"],
  summary: "Register a merchant webhook endpoint (the signing secret is shown only in this answer)",
  request: { body: jsonBody(schemas.registerWebhookSchema) },
  responses: { 201: jsonContent(schemas.createdWebhookEndpointSchema, "Registered"), ...problems(400, 401, 403, 415) },
});

export const listWebhooks = adminRoute("webhooks:manage", {
  method: "get",
  path: "/v1/admin/webhooks",
  tags: ["admin", "webhooks"],
  summary: "Registered webhook endpoints (without their secrets)",
  responses: { 200: jsonContent(schemas.webhookEndpointListSchema, "Endpoints"), ...problems(401, 403) },
});

export const deleteWebhook = adminRoute("webhooks:manage", {
  method: "delete",
  path: "/v1/admin/webhooks/{id}",
  tags: ["admin", "webhooks"],
  summary: "Delete an endpoint and its delivery log",
  request: { params: schemas.endpointParamsSchema },
  responses: { 204: { description: "Deleted" }, ...problems(400, 401, 403, 404) },
});

export const listDeliveries = adminRoute("webhooks:manage", {
  method: "get",
  path: "/v1/admin/webhooks/{id}/deliveries",
  tags: ["admin", "webhooks"],
  summary: "Delivery log of an endpoint: status, attempts, last HTTP status, newest first",
  request: { params: schemas.endpointParamsSchema, query: schemas.deliveryListQuerySchema },
  responses: {
    200: jsonContent(schemas.webhookDeliveryPageSchema, "A page of deliveries"),
    ...problems(400, 401, 403, 404),
  },
});

export const replayDelivery = adminRoute("webhooks:manage", {
  method: "post",
  path: "/v1/admin/webhooks/deliveries/{id}/replay",
  tags: ["admin", "webhooks"],
  summary: "Send a delivery again (through the queue, with retries)",
  request: { params: schemas.deliveryParamsSchema },
  responses: { 202: jsonContent(schemas.webhookDeliverySchema, "Re-enqueued"), ...problems(400, 401, 403, 404) },
});
