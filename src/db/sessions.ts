/**
 * D1 read replication through the Sessions API. Each request gets `db`, a D1 session (starting from
 * the client's `X-D1-Bookmark`, else from any replica for GET/HEAD and the primary for writes; its
 * latest bookmark goes back in `X-D1-Bookmark`), and `primaryDb`, the plain binding, for the queries
 * that decide races. Which queries those are, and why: docs/capacity.md, "Sessions".
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
