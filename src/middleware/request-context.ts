/** Binds the typed config and a D1/drizzle handle whose every query is timed into Server-Timing. */
import { createMiddleware } from "hono/factory";
import { createDatabase } from "../db/client";
import { configOf } from "../env";
import type { AppBindings } from "../platform/context";
import { timedD1 } from "../platform/timing";

export function requestContext() {
  return createMiddleware<AppBindings>(async function requestContext(c, next) {
    c.set("config", configOf(c.env));
    c.set("db", createDatabase(timedD1(c.env.DB, c.get("timings"))));
    c.set("caller", undefined);
    await next();
  });
}
