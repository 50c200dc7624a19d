/**
 * What each /v1/admin route requires, for the role-matrix test that walks /openapi.json. A route
 * declared with `adminRoute()` carries its permission in the document (`x-permission`); routes
 * declared with a bare `requirePermission()` are listed here, in one place, keyed as
 * "METHOD /openapi/path". A new admin route with neither fails that test until it says.
 */
import { PERMISSION_EXTENSION } from "./admin-route";
import type { Permission } from "./permissions";

export const ADMIN_ROUTE_PERMISSIONS: Readonly<Record<string, Permission>> = {
  "POST /v1/admin/webhooks": "webhooks:manage",
  "GET /v1/admin/webhooks": "webhooks:manage",
  "DELETE /v1/admin/webhooks/{id}": "webhooks:manage",
  "GET /v1/admin/webhooks/{id}/deliveries": "webhooks:manage",
  "POST /v1/admin/webhooks/deliveries/{id}/replay": "webhooks:manage",
};

export function expectedPermission(
  method: string,
  path: string,
  operation: Record<string, unknown>,
): Permission | undefined {
  return (
    (operation[PERMISSION_EXTENSION] as Permission | undefined) ??
    ADMIN_ROUTE_PERMISSIONS[`${method.toUpperCase()} ${path}`]
  );
}
