/** Admin tax rule contracts: behind `tax:manage`, strict bodies, audited. */
import { adminRoute } from "../identity/admin-route";
import { jsonBody, jsonContent, problems } from "../../platform/openapi";
import { pageSchema } from "../../platform/pagination";
import {
  createTaxRuleSchema,
  taxRuleListQuerySchema,
  taxRuleParamsSchema,
  taxRuleSchema,
  updateTaxRuleSchema,
} from "./tax-rules.schemas";

const tags = ["admin", "tax"];

export const createTaxRule = adminRoute("tax:manage", {
  tags,
  method: "post",
  path: "/v1/admin/tax-rules",
  summary: "Create a tax rule for a country or one of its regions (0 bp marks it tax-free; 409 when one exists)",
  request: { body: jsonBody(createTaxRuleSchema) },
  responses: { 201: jsonContent(taxRuleSchema, "Created"), ...problems(400, 401, 403, 409, 413, 415) },
});

export const listTaxRules = adminRoute("tax:manage", {
  tags,
  method: "get",
  path: "/v1/admin/tax-rules",
  summary: "Tax rules by country and region",
  request: { query: taxRuleListQuerySchema },
  responses: {
    200: jsonContent(pageSchema(taxRuleSchema, "TaxRulePage"), "A page of rules"),
    ...problems(400, 401, 403),
  },
});

export const updateTaxRule = adminRoute("tax:manage", {
  tags,
  method: "patch",
  path: "/v1/admin/tax-rules/{id}",
  summary: "Change a rule's name, rate, inclusiveness or shipping; the next cart read uses it",
  request: { params: taxRuleParamsSchema, body: jsonBody(updateTaxRuleSchema) },
  responses: { 200: jsonContent(taxRuleSchema, "Updated"), ...problems(400, 401, 403, 404, 413, 415) },
});

export const deleteTaxRule = adminRoute("tax:manage", {
  tags,
  method: "delete",
  path: "/v1/admin/tax-rules/{id}",
  summary: "Delete a rule (its destination becomes pending unless another rule covers it)",
  request: { params: taxRuleParamsSchema },
  responses: { 204: { description: "Deleted" }, ...problems(400, 401, 403, 404) },
});
