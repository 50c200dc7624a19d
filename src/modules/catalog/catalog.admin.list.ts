/** The admin product list: every status (drafts and archived included), optional search, newest first. */
import type { Database } from "../../db/client";
import { decodeCursor, toPage } from "../../platform/pagination";
import { listAdminProducts as listRows } from "./catalog.admin.repository";
import { adminProductCursorSchema, type AdminProductListQuery } from "./catalog.admin.schemas";
import { toAdminProducts } from "./catalog.admin.service";
import { buildFtsQuery } from "./catalog.search";

export async function listAdminProducts(db: Database, query: AdminProductListQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, adminProductCursorSchema) : undefined;
  let match: string | undefined;
  if (query.q !== undefined && query.q.trim() !== "") {
    const built = buildFtsQuery(query.q);
    if (built === null) return { data: [], nextCursor: null };
    match = built;
  }
  const rows = await listRows(db, { status: query.status, match, after, limit: query.limit });
  const page = toPage(
    rows,
    query.limit,
    (row) => row,
    (row) => ({ t: row.createdAt, id: row.id }),
  );
  return { data: await toAdminProducts(db, page.data), nextCursor: page.nextCursor };
}
