/**
 * The router helper every module uses: an OpenAPIHono whose validation failures become our
 * ValidationError (400 with `errors[]`), plus the problem responses each route declares.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type * as z from "zod";
import type { AppBindings } from "./context";
import { ValidationError, type FieldError } from "./errors";
import { problemSchema, PROBLEM_CONTENT_TYPE } from "./problem";

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}

export function createRouter() {
  return new OpenAPIHono<AppBindings>({
    strict: false,
    defaultHook: (result, c) => {
      // The JSON validator reads an absent body as {}; it runs without a Content-Type only when the
      // contract REQUIRES the body (optional bodies skip it), and json-only already answered 415 to
      // a body without one — so here no Content-Type means no body where one is required.
      if (result.target === "json" && !c.req.header("Content-Type")) {
        throw new ValidationError({
          detail: "This operation requires a JSON body",
          errors: [{ path: "(body)", message: "required" }],
        });
      }
      if (!result.success) {
        throw new ValidationError({ detail: "The request has invalid fields", errors: fieldErrors(result.error) });
      }
    },
  });
}

const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } };

/** Problem responses to spread into a route's `responses`, e.g. `...problems(400, 404)`. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: problemDescriptions[status] ?? "Problem", content: problemContent },
    ]),
  );
}

const problemDescriptions: Record<number, string> = {
  400: "Invalid request (problem+json with errors[])",
  401: "Missing, expired or invalid access token",
  402: "Payment declined",
  403: "Authenticated but not allowed",
  404: "Not found",
  409: "Conflict with the current state",
  413: "Body too large",
  415: "Body is not JSON",
  422: "Well-formed but cannot be processed",
  429: "Rate limited (Retry-After, RateLimit, RateLimit-Policy)",
  503: "A dependency is unavailable",
};

/**
 * JSON request body helper: `body: jsonBody(schema)`; bodies are required unless said otherwise
 * (`{ ...jsonBody(schema), required: false }`), and a required body that is missing is a 400.
 */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, description, content: { "application/json": { schema } } };
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export const bearerAuth = [{ bearerAuth: [] }];
