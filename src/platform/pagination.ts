/**
 * Cursor pagination of the v1 contract: `?limit=` (1–100, default 20) and an opaque `?cursor=`,
 * answered as `{ data, nextCursor }`. A cursor is base64url JSON validated by the caller's schema,
 * so a tampered or foreign cursor is a 400, never a 500.
 */
import * as z from "zod";
import type { ZodType } from "zod";
import { ValidationError } from "./errors";

export const paginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
  cursor: z.string().max(512).optional().openapi({ description: "Opaque cursor from a previous page's nextCursor" }),
});

export function pageSchema<T extends ZodType>(item: T, name: string) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
}

export function encodeCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export function decodeCursor<T>(cursor: string, schema: ZodType<T>): T {
  try {
    const base64 = cursor.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const parsed = schema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: any decoding failure is the client's malformed cursor
  }
  throw new ValidationError({
    detail: "The cursor is malformed",
    errors: [{ path: "cursor", message: "invalid cursor" }],
  });
}

/** Fetch limit + 1 rows, then split into the page and the next cursor (null on the last page). */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  cursorOf: (row: Row) => unknown,
) {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(toItem),
    nextCursor: hasMore && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}
