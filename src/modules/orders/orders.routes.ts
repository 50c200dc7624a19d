/** Contracts of the order endpoints: the customer's views and cancel; staff list, view, transitions, fulfillments and refunds. */
import { createRoute } from "@hono/zod-openapi";
import { adminRoute } from "../identity/admin-route";
import { requireUser } from "../../middleware/auth";
import { bearerAuth, jsonBody, jsonContent, problems } from "../../platform/openapi";
import { pageSchema, paginationQuerySchema } from "../../platform/pagination";
import {
  adminOrderListQuerySchema,
  cancelBodySchema,
  orderIdParamSchema,
  orderSchema,
  transitionBodySchema,
} from "./orders.schemas";
import {
  adminOrderSchema,
  captureBodySchema,
  fulfillmentAnswerSchema,
  fulfillmentBodySchema,
  idempotencyKeyHeaderSchema,
  refundBodySchema,
  refundSchema,
} from "./order-admin.schemas";

const orderPage = pageSchema(orderSchema, "OrderPage");

export const listMine = createRoute({
  method: "get",
  path: "/v1/orders",
  tags: ["orders"],
  summary: "My orders, newest first",
  security: bearerAuth,
  middleware: [requireUser()] as const,
  request: { query: paginationQuerySchema },
  responses: { 200: jsonContent(orderPage, "A page of the caller's orders"), ...problems(400, 401) },
});

export const getOne = createRoute({
  method: "get",
  path: "/v1/orders/{id}",
  tags: ["orders"],
  summary: "One order (its owner or staff; anyone else gets 404)",
  security: bearerAuth,
  request: { params: orderIdParamSchema },
  responses: { 200: jsonContent(orderSchema, "The order"), ...problems(400, 401, 404) },
});

export const cancel = createRoute({
  method: "post",
  path: "/v1/orders/{id}/cancel",
  tags: ["orders"],
  summary: "Cancel before fulfillment: the payment is refunded and the stock returned",
  security: bearerAuth,
  request: { params: orderIdParamSchema, body: { ...jsonBody(cancelBodySchema), required: false } },
  responses: { 200: jsonContent(orderSchema, "The cancelled order"), ...problems(400, 401, 403, 404, 409, 422, 503) },
});

export const adminList = adminRoute("orders:read", {
  method: "get",
  path: "/v1/admin/orders",
  tags: ["admin", "orders"],
  summary: "All orders, newest first, optionally by status, creation time range and customer (orders:read)",
  request: { query: adminOrderListQuerySchema },
  responses: { 200: jsonContent(orderPage, "A page of orders"), ...problems(400, 401, 403) },
});

export const adminTransition = adminRoute("orders:manage", {
  method: "post",
  path: "/v1/admin/orders/{id}/transition",
  tags: ["admin", "orders"],
  summary: "Move an order along its state machine (orders:manage); a move not allowed is a 409",
  request: { params: orderIdParamSchema, body: jsonBody(transitionBodySchema) },
  responses: {
    200: jsonContent(orderSchema, "The order in its new status"),
    ...problems(400, 401, 403, 404, 409, 422, 503),
  },
});

export const adminGet = adminRoute("orders:read", {
  method: "get",
  path: "/v1/admin/orders/{id}",
  tags: ["admin", "orders"],
  summary:
    "One order with everything staff need: lines, addresses, payments, refunds, fulfillments and the " +
    "timeline of its status changes (orders:read)",
  request: { params: orderIdParamSchema },
  responses: { 200: jsonContent(adminOrderSchema, "The order"), ...problems(400, 401, 403, 404) },
});

export const adminFulfill = adminRoute("orders:manage", {
  method: "post",
  path: "/v1/admin/orders/{id}/fulfillments",
  tags: ["admin", "orders"],
  summary:
    "Record a parcel with its tracking: the order becomes shipped, or partially_shipped while units " +
    "are left (orders:manage); the buyer is emailed",
  request: { params: orderIdParamSchema, headers: idempotencyKeyHeaderSchema, body: jsonBody(fulfillmentBodySchema) },
  responses: {
    201: jsonContent(fulfillmentAnswerSchema, "The fulfillment and the order's new status"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

export const adminRefund = adminRoute("orders:manage", {
  method: "post",
  path: "/v1/admin/orders/{id}/refunds",
  tags: ["admin", "orders"],
  summary:
    "Refund lines (their share of what was paid, to the cent), an amount, or everything left; never " +
    "more than was captured (orders:manage). Honours Idempotency-Key",
  request: { params: orderIdParamSchema, headers: idempotencyKeyHeaderSchema, body: jsonBody(refundBodySchema) },
  responses: {
    201: jsonContent(refundSchema, "The refund: succeeded, or pending while the provider is retried"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

export const adminCapture = adminRoute("orders:manage", {
  method: "post",
  path: "/v1/admin/orders/{id}/capture",
  tags: ["admin", "orders"],
  summary:
    "Capture an authorised payment (PAYMENT_CAPTURE=manual; the first parcel also captures): all " +
    "that may be taken, or less (the rest is released). 409 on an automatic-capture order or one " +
    "cancelled; 422 above what may be taken (orders:manage)",
  request: { params: orderIdParamSchema, headers: idempotencyKeyHeaderSchema, body: jsonBody(captureBodySchema) },
  responses: {
    200: jsonContent(
      adminOrderSchema,
      "The order with its payment as it now stands (captured, or capturing while the provider is retried)",
    ),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});
