/**
 * Bodies must be JSON: a POST/PUT/PATCH that carries a body with another media type is a 415.
 * Requests without a body (e.g. `POST /v1/orders/{id}/cancel`) pass.
 */
import { createMiddleware } from "hono/factory";
import { UnsupportedMediaTypeError } from "../platform/errors";

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH"]);
// One quantified class before a literal "+json": linear, not the nested repetition the rule fears.
// eslint-disable-next-line security/detect-unsafe-regex -- reviewed false positive (docs/operations.md)
const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

export function jsonOnly() {
  return createMiddleware(async function jsonOnly(c, next) {
    if (METHODS_WITH_BODY.has(c.req.method) && hasBody(c.req.raw)) {
      const type = c.req.header("Content-Type") ?? "";
      if (!JSON_TYPE.test(type)) {
        throw new UnsupportedMediaTypeError({
          detail: `Expected Content-Type application/json, got "${type || "none"}"`,
        });
      }
    }
    await next();
  });
}

function hasBody(request: Request): boolean {
  const length = request.headers.get("Content-Length");
  if (length !== null) return Number(length) > 0;
  return request.body !== null;
}
