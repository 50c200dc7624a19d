/**
 * The drizzle handle over the (timed) D1 binding, one per request. Built without the relational
 * schema map on purpose: modules use the core query builder (explicit joins, a fixed number of
 * queries per page), and skipping the map keeps handle creation off the hot path.
 */
import { drizzle } from "drizzle-orm/d1";

/** Over the plain binding (always the primary) or a D1 session (replicas allowed; see sessions.ts). */
export function createDatabase(d1: D1Database | D1DatabaseSession) {
  // a session offers what drizzle calls (prepare, batch); only exec/dump/withSession are missing
  return drizzle(d1 as D1Database);
}

export type Database = ReturnType<typeof createDatabase>;

/**
 * A handle that builds its drizzle instance on first use: every request gets `db` and `primaryDb`,
 * and most cached reads never touch D1, so they should not pay for building them.
 */
export function lazyDatabase(open: () => Database): Database {
  let database: Database | undefined;
  return new Proxy({} as Database, {
    get(_target, property) {
      database ??= open();
      const value: unknown = Reflect.get(database, property, database);
      return typeof value === "function" ? value.bind(database) : value;
    },
  });
}
