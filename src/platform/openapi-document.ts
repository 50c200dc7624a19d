/**
 * The two renderings of one set of routes, both from the same zod schemas: OpenAPI 3.1 served at
 * /openapi.json, and the 3.0 rendering that is the guarded contract (contract/openapi.v1.json; the
 * diff tool reads 3.0 only). Both are rendered ahead of time, in Node, so the Worker carries no
 * document generator. docs/operations.md, "API contract (v1)".
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { builtAsset } from "./assets";
import type { AppBindings } from "./context";

export const API_INFO = {
  title: "Motor API",
  version: "1.0.0",
  description: "Edge-first commerce backend. Errors are RFC 9457 problem+json; money is integer minor units.",
};

/** Where scripts/build-web.mjs writes the served document: outside /assets/*, so only the Worker reads it. */
export const SERVED_DOCUMENT_ASSET = "/openapi/v3.1.json";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any router: only its registry is read
type AnyRouter = OpenAPIHono<any>;

/** The document /openapi.json serves (rendered in Node: the Worker bundle has no generator). */
export function servedDocument(app: AnyRouter) {
  return app.getOpenAPI31Document({ openapi: "3.1.0", info: API_INFO });
}

export function contractDocument(app: AnyRouter) {
  return nullableIn30(app.getOpenAPIDocument({ openapi: "3.0.3", info: API_INFO }));
}

/**
 * "X or null" as the 3.0 tools read it. zod-to-openapi renders a union with null (`orNull`,
 * src/platform/nullable.ts) in 3.0 as `anyOf: [X, { nullable: true }]`: 3.0 has no null type, and
 * a branch with no type accepts anything, so openapi-typescript types the field `unknown`. The
 * usual 3.0 spelling, `{ allOf: [X], nullable: true }`, it types `X | null`; the 3.1 document
 * keeps `anyOf: [X, { type: "null" }]`. (openapi-diff ignores `nullable`: docs/operations.md.)
 */
export function nullableIn30<T>(node: T): T {
  if (Array.isArray(node)) return node.map(nullableIn30) as T;
  if (node === null || typeof node !== "object") return node;
  const isNull = (branch: unknown) => JSON.stringify(branch) === '{"nullable":true}';
  const entries = Object.entries(node).flatMap(([key, value]): [string, unknown][] => {
    if (key !== "anyOf" || !Array.isArray(value) || !value.some(isNull)) return [[key, nullableIn30(value)]];
    const others = value.filter((branch) => !isNull(branch)).map(nullableIn30);
    return [
      [others.length === 1 ? "allOf" : "anyOf", others],
      ["nullable", true],
    ];
  });
  return Object.fromEntries(entries) as T;
}

/** GET /openapi.json: the built document, with the headers `c.json(document)` gave it when it was generated per request. */
export async function serveOpenApiDocument(c: Context<AppBindings>) {
  return c.body(await builtAsset(c.env, SERVED_DOCUMENT_ASSET, c.req.url, "the OpenAPI document"), 200, {
    "Content-Type": "application/json",
  });
}
