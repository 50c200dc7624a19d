/** Contracts: the customer's saved addresses (/v1/me/addresses) and the staff customer views. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../middleware/auth";
import { bearerAuth, jsonBody, jsonContent, problems } from "../../platform/openapi";
import { pageSchema } from "../../platform/pagination";
import { adminRoute } from "../identity/admin-route";
import {
  addressIdParamsSchema,
  customerDetailSchema,
  customerIdParamsSchema,
  customerListQuerySchema,
  customerSchema,
  saveAddressSchema,
  savedAddressListSchema,
  savedAddressSchema,
} from "./customers.schemas";

const mine = { tags: ["me"], security: bearerAuth };

export const listAddresses = createRoute({
  ...mine,
  middleware: [requireUser()] as const,
  method: "get",
  path: "/v1/me/addresses",
  summary: "My saved addresses, oldest first",
  responses: { 200: jsonContent(savedAddressListSchema, "Saved addresses"), ...problems(401) },
});

export const saveAddress = createRoute({
  ...mine,
  middleware: [requireUser()] as const,
  method: "post",
  path: "/v1/me/addresses",
  summary: "Save an address (at most 20: then 422)",
  request: { body: jsonBody(saveAddressSchema) },
  responses: { 201: jsonContent(savedAddressSchema, "Saved"), ...problems(400, 401, 413, 415, 422) },
});

export const deleteAddress = createRoute({
  ...mine,
  middleware: [requireUser()] as const,
  method: "delete",
  path: "/v1/me/addresses/{id}",
  summary: "Delete one of my saved addresses (anyone else's is a 404)",
  request: { params: addressIdParamsSchema },
  responses: { 204: { description: "Deleted" }, ...problems(400, 401, 404) },
});

const staff = { tags: ["admin", "customers"] };

export const listCustomers = adminRoute("customers:read", {
  ...staff,
  method: "get",
  path: "/v1/admin/customers",
  summary: "Customers, newest first; `q` matches part of the email or name",
  request: { query: customerListQuerySchema },
  responses: {
    200: jsonContent(pageSchema(customerSchema, "CustomerPage"), "A page of customers"),
    ...problems(400, 401, 403),
  },
});

export const getCustomer = adminRoute("customers:read", {
  ...staff,
  method: "get",
  path: "/v1/admin/customers/{id}",
  summary: "One customer: profile, saved addresses, orders and lifetime value per currency",
  request: { params: customerIdParamsSchema },
  responses: { 200: jsonContent(customerDetailSchema, "The customer"), ...problems(400, 401, 403, 404) },
});
