/**
 * D1 failing at the network boundary: the real binding, except that statements whose SQL matches
 * `fails` reject as D1 does when the connection drops — run on their own, or in a batch (which
 * then fails whole, as D1's batch is one transaction).
 */
import { env } from "cloudflare:workers";

export function d1FailingOn(fails: (sql: string) => boolean, real: D1Database = env.DB): D1Database {
  const failing = new WeakSet<object>();
  const unavailable = () => Promise.reject(new Error("D1_ERROR: Network connection lost."));
  const mark = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    if (!fails(sql)) return statement;
    failing.add(statement);
    const bind = statement.bind.bind(statement);
    statement.bind = (...values: unknown[]) => mark(bind(...values), sql);
    statement.all = statement.run = statement.first = statement.raw = unavailable as never;
    return statement;
  };
  return new Proxy(real, {
    get(target, property) {
      if (property === "prepare") return (sql: string) => mark(target.prepare(sql), sql);
      if (property === "batch")
        return (statements: D1PreparedStatement[]) =>
          statements.some((statement) => failing.has(statement)) ? unavailable() : target.batch(statements);
      const value = Reflect.get(target, property) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
