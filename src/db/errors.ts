/**
 * The one reader of SQLite's constraint messages, so modules ask "which constraint failed?" by
 * table, column or constraint name instead of matching strings. SQLite says which in the text only:
 *   UNIQUE constraint failed: t.a, t.b   (also a primary key)   | UNIQUE constraint failed: index 'name'
 *   NOT NULL constraint failed: t.c      | CHECK constraint failed: name (its expression when unnamed)
 *   FOREIGN KEY constraint failed        (names nothing)
 * D1 prefixes it ("D1_ERROR: ") and appends the code (": SQLITE_CONSTRAINT (extended: ...)"); drizzle
 * wraps a single query's error in one whose `cause` is D1's, so the whole cause chain is read.
 */

export type ConstraintKind = "unique" | "not_null" | "foreign_key" | "check";

export interface ConstraintFailure {
  kind: ConstraintKind;
  /** "" when SQLite names no table (FOREIGN KEY, CHECK, a unique expression index). */
  table: string;
  /** Unqualified, in SQLite's order; empty when it names none. */
  columns: string[];
  /** A CHECK's constraint name (its expression when unnamed), or a unique expression index's name. */
  constraint?: string;
}

const KINDS: Record<string, ConstraintKind> = {
  UNIQUE: "unique",
  "NOT NULL": "not_null",
  "FOREIGN KEY": "foreign_key",
  CHECK: "check",
};

// anchored after D1's upper-case prefixes: drizzle's "Failed query: ..." carries the SQL and its
// params, which must never be read as a constraint message
const PREFIX = /^[A-Z][A-Z0-9_]*: /;
const MESSAGE = /^(UNIQUE|NOT NULL|FOREIGN KEY|CHECK) constraint failed(.*)$/s;
const CODE_SUFFIX = /: SQLITE_[A-Z_]+.*$/s;
const INDEX = /^index '(.+)'$/;

function parse(message: string): ConstraintFailure | undefined {
  let text = message.replace(CODE_SUFFIX, "");
  while (PREFIX.test(text)) text = text.replace(PREFIX, "");
  const match = MESSAGE.exec(text);
  if (!match || (match[2] && !match[2].startsWith(": "))) return undefined;
  const kind = KINDS[match[1]!]!;
  const detail = match[2]!.slice(2).trim();
  if (kind === "check") return { kind, table: "", columns: [], ...(detail ? { constraint: detail } : {}) };
  const index = INDEX.exec(detail);
  if (index) return { kind, table: "", columns: [], constraint: index[1]! };
  const qualified = detail ? detail.split(", ").map((name) => name.split(".")) : [];
  return {
    kind,
    table: qualified[0]?.[0] ?? "",
    columns: qualified.map((parts) => parts.slice(1).join(".")).filter(Boolean),
  };
}

/** The constraint that failed the statement (or batch), read through D1's and drizzle's wrapping; undefined for any other error. */
export function constraintFailure(error: unknown): ConstraintFailure | undefined {
  // bounded: a cause chain may loop
  for (
    let current = error, depth = 0;
    current != null && depth < 8;
    current = (current as { cause?: unknown }).cause, depth++
  ) {
    const message = typeof current === "string" ? current : (current as { message?: unknown }).message;
    const failure = typeof message === "string" ? parse(message) : undefined;
    if (failure) return failure;
  }
  return undefined;
}

/**
 * Whether `error` is a `kind` failure on `target`: a table ("users"), a column ("users.email",
 * one of the failed columns), or a constraint / expression index name; any of that kind without.
 */
export function isConstraintFailure(error: unknown, kind: ConstraintKind, target?: string): boolean {
  const failure = constraintFailure(error);
  if (failure?.kind !== kind) return false;
  if (target === undefined) return true;
  if (target === failure.constraint || target === failure.table) return true;
  const dot = target.indexOf(".");
  return dot > 0 && target.slice(0, dot) === failure.table && failure.columns.includes(target.slice(dot + 1));
}

/** A duplicate key (a primary key too): `isUniqueViolation(error, "users.email")`. */
export const isUniqueViolation = (error: unknown, target?: string) => isConstraintFailure(error, "unique", target);

/** A NULL into a NOT NULL column: how the guarded-insert pattern (a subquery that yields NULL) refuses a write. */
export const isNotNullViolation = (error: unknown, target?: string) => isConstraintFailure(error, "not_null", target);

/** A CHECK by constraint name: `isCheckViolation(error, "discount_codes_usage_limit")`. */
export const isCheckViolation = (error: unknown, constraint?: string) =>
  isConstraintFailure(error, "check", constraint);

/** SQLite names neither table nor key for these. */
export const isForeignKeyViolation = (error: unknown) => isConstraintFailure(error, "foreign_key");
