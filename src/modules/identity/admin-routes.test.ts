/**
 * The role matrix: every /v1/admin route of the served OpenAPI document (routes other modules add
 * are picked up automatically) is called with no token, a customer, a staff member and an admin,
 * and judged by the permission its `adminRoute()` declaration put in the document.
 */
import { describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { call, callJson } from "../../../test/helpers/http";
import { PERMISSION_EXTENSION } from "./admin-route";
import { freshIp } from "./identity.fixtures";
import { can, type Permission, type Role } from "./permissions";

interface AdminOperation {
  method: string;
  path: string;
  permission: Permission | undefined;
}

async function adminOperations(): Promise<AdminOperation[]> {
  const { body } = await callJson<{ paths: Record<string, Record<string, Record<string, unknown>>> }>("/openapi.json");
  return Object.entries(body.paths)
    .filter(([path]) => path.startsWith("/v1/admin/"))
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        permission: operation[PERMISSION_EXTENSION] as Permission | undefined,
      })),
    );
}

function callOperation(operation: AdminOperation, token?: string) {
  const path = operation.path.replace(/\{[^}]+\}/g, "NO-SUCH-ID");
  const hasBody = ["POST", "PUT", "PATCH"].includes(operation.method);
  return call(path, {
    method: operation.method,
    token,
    headers: { "CF-Connecting-IP": freshIp() },
    ...(hasBody ? { body: {} } : {}),
  });
}

describe("every admin route, every role", () => {
  it("finds the admin routes in the OpenAPI document, each with a known permission", async () => {
    const operations = await adminOperations();
    expect(operations).toEqual(
      expect.arrayContaining([
        { method: "GET", path: "/v1/admin/audit", permission: "audit:read" },
        { method: "PATCH", path: "/v1/admin/users/{id}/role", permission: "users:manage" },
        { method: "POST", path: "/v1/admin/webhooks", permission: "webhooks:manage" },
      ]),
    );
    const unknown = operations
      .filter((operation) => !operation.permission)
      .map((operation) => `${operation.method} ${operation.path}`);
    expect(unknown, "declare these with adminRoute(permission, config)").toEqual([]);
  });

  it("answers 401 without a token, 403 to the wrong role, and lets the right role through", async () => {
    const users: Record<Role, TestUser> = {
      customer: await createUser("customer"),
      staff: await createUser("staff"),
      admin: await createUser("admin"),
    };
    const failures: string[] = [];
    for (const operation of await adminOperations()) {
      const label = `${operation.method} ${operation.path}`;
      const anonymous = await callOperation(operation);
      if (anonymous.status !== 401) failures.push(`${label} without a token: ${anonymous.status}, expected 401`);
      for (const role of ["customer", "staff", "admin"] as const) {
        const { status } = await callOperation(operation, users[role].token);
        const allowed = operation.permission !== undefined && can(role, operation.permission);
        if (!allowed && status !== 403) failures.push(`${label} as ${role}: ${status}, expected 403`);
        if (allowed && (status === 401 || status === 403 || status >= 500))
          failures.push(`${label} as ${role}: ${status}, expected a 2xx/4xx past the guard`);
      }
    }
    expect(failures).toEqual([]);
  });
});
