/**
 * The operations a router declares for the OpenAPI document, as "METHOD /path" (OpenAPI path
 * syntax), read from its registry: the Worker carries no document generator (the document is
 * rendered at build time, src/platform/openapi-document.ts), and the registry is what it renders.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any router: only its registry is read
export function declaredOperations(router: OpenAPIHono<any>): string[] {
  return router.openAPIRegistry.definitions.flatMap((definition) =>
    definition.type === "route" ? [`${definition.route.method.toUpperCase()} ${definition.route.path}`] : [],
  );
}
