/**
 * Binds the typed config and two timed D1/drizzle handles: `db`, a D1 session (replicas allowed,
 * anchored by the client's `X-D1-Bookmark`), and `primaryDb`, the primary (see db/sessions.ts).
 * The session's latest bookmark is answered in `X-D1-Bookmark` so the client reads its writes.
 */
import { createMiddleware } from "hono/factory";
import { createDatabase } from "../db/client";
import { BOOKMARK_HEADER, sessionStart } from "../db/sessions";
import { configOf } from "../env";
import type { AppBindings } from "../platform/context";
import { timedD1 } from "../platform/timing";

export function requestContext() {
  return createMiddleware<AppBindings>(async function requestContext(c, next) {
    c.set("config", configOf(c.env));
    const timings = c.get("timings");
    c.set("primaryDb", createDatabase(timedD1(c.env.DB, timings)));
    c.set("caller", undefined);
    const session = c.env.DB.withSession(sessionStart(c.req.method, c.req.header(BOOKMARK_HEADER)));
    c.set("db", createDatabase(timedD1(session as unknown as D1Database, timings)));
    await next();
    const bookmark = session.getBookmark();
    if (bookmark) c.header(BOOKMARK_HEADER, bookmark);
  });
}
