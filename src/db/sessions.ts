/**
 * D1 read replication through the Sessions API. Each request gets two handles:
 *
 * - `db`: a D1 session. It starts from the client's `X-D1-Bookmark` when one is sent (so the
 *   client reads its own writes even on a replica), otherwise from "first-unconstrained" for
 *   reads (GET/HEAD: any replica may answer) and "first-primary" for writes. The session's
 *   latest bookmark goes back in the `X-D1-Bookmark` response header.
 * - `primaryDb`: the plain binding, which always runs on the primary. The queries that decide
 *   who wins a race use it (see docs/capacity.md, "Primary-only queries"): idempotency lookups,
 *   the checkout (live-checkout lookups), and the StockLock's own reads (on-hand, ledger, sales).
 *
 * Locally there are no replicas: the session and the binding reach the same database, and the
 * bookmark round trip still runs, so the code path is the one production takes.
 */
import { ValidationError } from "../platform/errors";

export const BOOKMARK_HEADER = "X-D1-Bookmark";
/** Bookmarks are opaque (hex groups and dashes today); the two constraints are accepted as well. */
const BOOKMARK = /^[A-Za-z0-9-]{1,128}$/;

type Constraint = "first-primary" | "first-unconstrained";

export const isBookmark = (start: string): boolean => start !== "first-primary" && start !== "first-unconstrained";

/** Where a request's session starts: the client's bookmark, or a constraint by method. */
export function sessionStart(method: string, bookmark: string | undefined): string | Constraint {
  if (bookmark !== undefined && bookmark !== "") {
    if (!BOOKMARK.test(bookmark))
      throw new ValidationError({
        detail: `${BOOKMARK_HEADER} is not a D1 bookmark`,
        errors: [{ path: `headers.${BOOKMARK_HEADER}`, message: "1-128 letters, digits or '-'" }],
      });
    return bookmark;
  }
  return method === "GET" || method === "HEAD" ? "first-unconstrained" : "first-primary";
}
