/**
 * The real app with one extra JSON route, for exercising the middleware chain and the error
 * mapping on a body-carrying request before any product route exists to do it.
 */
import { createRoute } from "@hono/zod-openapi";
import * as z from "zod";
import { env } from "cloudflare:workers";
import { createApp, type AppOptions } from "../../src/app";
import { jsonBody, jsonContent } from "../../src/platform/openapi";

const echo = createRoute({
  method: "post",
  path: "/test/echo",
  request: { body: jsonBody(z.object({ name: z.string().min(1), quantity: z.number().int().positive() }).strict()) },
  responses: { 200: jsonContent(z.object({ name: z.string() }), "echo") },
});

export function createTestApp(options: AppOptions & { boom?: unknown } = {}) {
  const app = createApp(options);
  app.openapi(echo, (c) => c.json({ name: c.req.valid("json").name }, 200));
  app.get("/test/boom", () => {
    throw options.boom ?? new Error("SELECT secret FROM users -- internal detail");
  });
  return {
    app,
    request: (path: string, init?: RequestInit) => app.request(path, init, env),
  };
}
