/**
 * The drizzle handle over the (timed) D1 binding, one per request. Built without the relational
 * schema map on purpose: modules use the core query builder (explicit joins, a fixed number of
 * queries per page), and skipping the map keeps handle creation off the hot path.
 */
import { drizzle } from "drizzle-orm/d1";

export function createDatabase(d1: D1Database) {
  return drizzle(d1);
}

export type Database = ReturnType<typeof createDatabase>;
