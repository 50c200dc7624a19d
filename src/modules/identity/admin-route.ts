/**
 * `adminRoute(permission, config)`: the one way to declare a /v1/admin route. It sets the bearer
 * security, the server-side permission check AND an `x-permission` extension in the OpenAPI
 * document, from the same value — so the role-matrix test (identity/admin-routes.test.ts), which
 * walks every /v1/admin path of /openapi.json, always knows what each route requires.
 */
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { requirePermission } from "../../middleware/auth";
import { bearerAuth } from "../../platform/openapi";
import type { Permission } from "./permissions";

export const PERMISSION_EXTENSION = "x-permission";

export function adminRoute<
  P extends string,
  R extends Omit<RouteConfig, "path" | "middleware" | "security"> & { path: P },
>(permission: Permission, config: R) {
  return createRoute({
    ...config,
    security: bearerAuth,
    [PERMISSION_EXTENSION]: permission,
    middleware: [requirePermission(permission)] as const,
  });
}
