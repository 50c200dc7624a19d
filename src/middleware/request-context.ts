/**
 * Binds the typed config and two timed D1/drizzle handles: `db`, a D1 session (replicas allowed,
 * anchored by the client's `X-D1-Bookmark`), and `primaryDb`, the primary (see db/sessions.ts).
 * The session's latest bookmark is answered in `X-D1-Bookmark` so the client reads its writes.
 * Both are built on first use (a cached read never opens either); a request that opened no session
 * hands the client's bookmark back unchanged.
 */
import { createMiddleware } from "hono/factory";
import { createDatabase, lazyDatabase } from "../db/client";
import { BOOKMARK_HEADER, isBookmark, sessionStart } from "../db/sessions";
import { configOf } from "../env";
import type { AppBindings } from "../platform/context";
import { timedD1 } from "../platform/timing";

export function requestContext() {
  return createMiddleware<AppBindings>(async function requestContext(c, next) {
    c.set("config", configOf(c.env));
    const timings = c.get("timings");
    c.set(
      "primaryDb",
      lazyDatabase(() => createDatabase(timedD1(c.env.DB, timings))),
    );
    c.set("caller", undefined);
    const start = sessionStart(c.req.method, c.req.header(BOOKMARK_HEADER));
    let session: D1DatabaseSession | undefined;
    c.set(
      "db",
      lazyDatabase(() => {
        session = c.env.DB.withSession(start);
        return createDatabase(timedD1(session as unknown as D1Database, timings));
      }),
    );
    await next();
    const bookmark = session ? session.getBookmark() : isBookmark(start) ? start : null;
    if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
  });
}
