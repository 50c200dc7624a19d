/**
 * Admin shipping contracts under /v1/admin/shipping-options (zones under …/zones), behind
 * `shipping:manage`. The zone routes are registered before the option routes (see index.ts), so
 * `/v1/admin/shipping-options/zones` never reaches the `{id}` route.
 */
import * as z from "zod";
import { adminRoute } from "../identity/admin-route";
import { jsonBody, jsonContent, problems } from "../../platform/openapi";
import {
  createOptionSchema,
  createZoneSchema,
  idParamsSchema,
  optionListQuerySchema,
  optionSchema,
  updateOptionSchema,
  updateZoneSchema,
  zoneSchema,
} from "./shipping.schemas";

const tags = ["admin", "shipping"];
const BODY = [400, 401, 403, 413, 415];
const deleted = { 204: { description: "Deleted" } };

export const listZones = adminRoute("shipping:manage", {
  tags,
  method: "get",
  path: "/v1/admin/shipping-options/zones",
  summary: "Shipping zones and their countries",
  responses: {
    200: jsonContent(z.object({ data: z.array(zoneSchema) }).openapi("ShippingZoneList"), "Every zone"),
    ...problems(401, 403),
  },
});

export const createZone = adminRoute("shipping:manage", {
  tags,
  method: "post",
  path: "/v1/admin/shipping-options/zones",
  summary: "Create a zone (409 when a country is already in another zone)",
  request: { body: jsonBody(createZoneSchema) },
  responses: { 201: jsonContent(zoneSchema, "Created"), ...problems(...BODY, 409) },
});

export const updateZone = adminRoute("shipping:manage", {
  tags,
  method: "patch",
  path: "/v1/admin/shipping-options/zones/{id}",
  summary: "Rename a zone or replace its countries",
  request: { params: idParamsSchema, body: jsonBody(updateZoneSchema) },
  responses: { 200: jsonContent(zoneSchema, "Updated"), ...problems(...BODY, 404, 409) },
});

export const deleteZone = adminRoute("shipping:manage", {
  tags,
  method: "delete",
  path: "/v1/admin/shipping-options/zones/{id}",
  summary: "Delete a zone without options (409 while it has some)",
  request: { params: idParamsSchema },
  responses: { ...deleted, ...problems(400, 401, 403, 404, 409) },
});

export const listOptions = adminRoute("shipping:manage", {
  tags,
  method: "get",
  path: "/v1/admin/shipping-options",
  summary: "Shipping options with their rates, optionally of one zone",
  request: { query: optionListQuerySchema },
  responses: {
    200: jsonContent(z.object({ data: z.array(optionSchema) }).openapi("ShippingOptionList"), "Options"),
    ...problems(400, 401, 403),
  },
});

export const createOption = adminRoute("shipping:manage", {
  tags,
  method: "post",
  path: "/v1/admin/shipping-options",
  summary: "Create an option in a zone with its rates (422 for an unknown zone)",
  request: { body: jsonBody(createOptionSchema) },
  responses: { 201: jsonContent(optionSchema, "Created"), ...problems(...BODY, 422) },
});

export const getOption = adminRoute("shipping:manage", {
  tags,
  method: "get",
  path: "/v1/admin/shipping-options/{id}",
  summary: "One option with its rates",
  request: { params: idParamsSchema },
  responses: { 200: jsonContent(optionSchema, "The option"), ...problems(400, 401, 403, 404) },
});

export const updateOption = adminRoute("shipping:manage", {
  tags,
  method: "patch",
  path: "/v1/admin/shipping-options/{id}",
  summary: "Edit an option; `rates` replaces all its rates; `active: false` withdraws it",
  request: { params: idParamsSchema, body: jsonBody(updateOptionSchema) },
  responses: { 200: jsonContent(optionSchema, "Updated"), ...problems(...BODY, 404) },
});

export const deleteOption = adminRoute("shipping:manage", {
  tags,
  method: "delete",
  path: "/v1/admin/shipping-options/{id}",
  summary: "Delete an option (carts that chose it get a blocker)",
  request: { params: idParamsSchema },
  responses: { ...deleted, ...problems(400, 401, 403, 404) },
});
