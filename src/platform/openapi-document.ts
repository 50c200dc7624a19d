/**
 * The two renderings of one set of routes: OpenAPI 3.1 served at /openapi.json, and the OpenAPI
 * 3.0 rendering that is the guarded contract (contract/openapi.v1.json), because the diff tool
 * that guards it (openapi-diff) reads 3.0 only. Both come from the same zod schemas.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";

export const API_INFO = {
  title: "Motor API",
  version: "1.0.0",
  description: "Edge-first commerce backend. Errors are RFC 9457 problem+json; money is integer minor units.",
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any router: only its registry is read
export function contractDocument(app: OpenAPIHono<any>) {
  return app.getOpenAPIDocument({ openapi: "3.0.3", info: API_INFO });
}
