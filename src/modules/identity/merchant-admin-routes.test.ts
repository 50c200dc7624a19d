/**
 * The merchant admin routes, named one by one so none can drop out of the role matrix
 * (admin-routes.test.ts walks /openapi.json): each is documented with its permission, a customer
 * gets 403, and staff get 403 where the permission is admin-only (shipping, tax).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { call, callJson } from "../../../test/helpers/http";
import { freshIp } from "./identity.fixtures";
import type { Permission } from "./permissions";

const ROUTES: [string, string, Permission][] = [
  ["POST", "/v1/admin/discounts", "discounts:manage"],
  ["GET", "/v1/admin/discounts", "discounts:manage"],
  ["PATCH", "/v1/admin/discounts/{code}", "discounts:manage"],
  ["GET", "/v1/admin/shipping-options/zones", "shipping:manage"],
  ["POST", "/v1/admin/shipping-options/zones", "shipping:manage"],
  ["PATCH", "/v1/admin/shipping-options/zones/{id}", "shipping:manage"],
  ["DELETE", "/v1/admin/shipping-options/zones/{id}", "shipping:manage"],
  ["GET", "/v1/admin/shipping-options", "shipping:manage"],
  ["POST", "/v1/admin/shipping-options", "shipping:manage"],
  ["GET", "/v1/admin/shipping-options/{id}", "shipping:manage"],
  ["PATCH", "/v1/admin/shipping-options/{id}", "shipping:manage"],
  ["DELETE", "/v1/admin/shipping-options/{id}", "shipping:manage"],
  ["POST", "/v1/admin/tax-rules", "tax:manage"],
  ["GET", "/v1/admin/tax-rules", "tax:manage"],
  ["PATCH", "/v1/admin/tax-rules/{id}", "tax:manage"],
  ["DELETE", "/v1/admin/tax-rules/{id}", "tax:manage"],
  ["GET", "/v1/admin/products", "catalog:write"],
  ["PATCH", "/v1/admin/categories/{id}", "catalog:write"],
  ["DELETE", "/v1/admin/categories/{id}", "catalog:write"],
  ["GET", "/v1/admin/customers", "customers:read"],
  ["GET", "/v1/admin/customers/{id}", "customers:read"],
];
const ADMIN_ONLY = new Set<Permission>(["shipping:manage", "tax:manage"]);

let customer: TestUser;
let staff: TestUser;
beforeAll(async () => {
  [customer, staff] = await Promise.all([createUser("customer"), createUser("staff")]);
});

const send = (method: string, path: string, token: string) =>
  call(path.replace(/\{[^}]+\}/g, "SOME-ID"), {
    method,
    token,
    headers: { "CF-Connecting-IP": freshIp() },
    ...(["POST", "PATCH"].includes(method) ? { body: {} } : {}),
  });

describe("the merchant admin routes", () => {
  it("are all in /openapi.json with their permission", async () => {
    const { body } = await callJson<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(
      "/openapi.json",
    );
    const documented = ROUTES.map(([method, path]) => [
      method,
      path,
      body.paths[path]?.[method.toLowerCase()]?.["x-permission"],
    ]);
    expect(documented).toEqual(ROUTES);
  });

  it.each(ROUTES)("%s %s answers 403 to a customer", async (method, path) => {
    expect((await send(method, path, customer.token)).status).toBe(403);
  });

  it.each(ROUTES.filter(([, , permission]) => ADMIN_ONLY.has(permission)))(
    "%s %s answers 403 to staff (admin-only setting)",
    async (method, path) => {
      expect((await send(method, path, staff.token)).status).toBe(403);
    },
  );
});
