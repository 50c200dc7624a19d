import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase } from "./client";
import {
  constraintFailure,
  isCheckViolation,
  isForeignKeyViolation,
  isNotNullViolation,
  isUniqueViolation,
} from "./errors";
import { discountCodes, taxRules, users } from "./schema";

const db = createDatabase(env.DB);

/** What the promise rejected with (the test fails when it resolves). */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("the write was expected to fail"),
    (error: unknown) => error,
  );
}

async function newUser() {
  const id = `usr_${crypto.randomUUID()}`;
  const row = {
    id,
    email: `${id}@example.test`,
    name: "Errors",
    passwordHash: "hash",
    role: "customer" as const,
    createdAt: 1,
    updatedAt: 1,
  };
  await db.insert(users).values(row).run();
  return row;
}

describe("constraintFailure over real D1 errors", () => {
  it("names the table and column of a UNIQUE index, from a single query (drizzle-wrapped) and from a batch", async () => {
    const user = await newUser();
    const duplicate = { ...user, id: `usr_${crypto.randomUUID()}` };
    const single = await failureOf(db.insert(users).values(duplicate).run());
    const batched = await failureOf(db.batch([db.insert(users).values(duplicate)]));
    for (const error of [single, batched]) {
      expect(constraintFailure(error)).toEqual({ kind: "unique", table: "users", columns: ["email"] });
      expect(isUniqueViolation(error)).toBe(true);
      expect(isUniqueViolation(error, "users.email")).toBe(true);
      expect(isUniqueViolation(error, "users")).toBe(true);
      expect(isUniqueViolation(error, "users.name")).toBe(false);
      expect(isUniqueViolation(error, "orders.email")).toBe(false);
      expect(isNotNullViolation(error, "users.email")).toBe(false);
    }
  });

  it("reports a primary key as UNIQUE on its column, and a multi-column index with all of its columns", async () => {
    const user = await newUser();
    const samePrimaryKey = await failureOf(
      db
        .insert(users)
        .values({ ...user, email: `other-${user.email}` })
        .run(),
    );
    expect(constraintFailure(samePrimaryKey)).toEqual({ kind: "unique", table: "users", columns: ["id"] });

    const country = "ZQ";
    const rule = {
      country,
      region: "errors",
      name: "Errors",
      rateBasisPoints: 100,
      inclusive: false,
      appliesToShipping: true,
    };
    await db
      .insert(taxRules)
      .values({ ...rule, id: `tax_${crypto.randomUUID()}` })
      .run();
    const pair = await failureOf(
      db
        .insert(taxRules)
        .values({ ...rule, id: `tax_${crypto.randomUUID()}` })
        .run(),
    );
    expect(constraintFailure(pair)).toEqual({ kind: "unique", table: "tax_rules", columns: ["country", "region"] });
    expect(isUniqueViolation(pair, "tax_rules.region")).toBe(true);
  });

  it("names the column of a NOT NULL failure (the guarded-insert pattern)", async () => {
    const id = `usr_${crypto.randomUUID()}`;
    const error = await failureOf(
      db.batch([
        db.insert(users).values({
          id,
          email: sql`(select null)`,
          name: "Errors",
          passwordHash: "hash",
          role: "customer",
          createdAt: 1,
          updatedAt: 1,
        }),
      ]),
    );
    expect(constraintFailure(error)).toEqual({ kind: "not_null", table: "users", columns: ["email"] });
    expect(isNotNullViolation(error, "users.email")).toBe(true);
    expect(isNotNullViolation(error, "users.name")).toBe(false);
    expect(isUniqueViolation(error)).toBe(false);
  });

  it("names a CHECK by its constraint name, or by its expression when unnamed", async () => {
    const code = `ERR${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const error = await failureOf(
      db
        .insert(discountCodes)
        .values({
          code,
          kind: "fixed",
          amount: 100,
          currency: "EUR",
          minSubtotal: 0,
          usageLimit: 1,
          used: 2,
          active: true,
          createdAt: 1,
        })
        .run(),
    );
    expect(constraintFailure(error)).toEqual({
      kind: "check",
      table: "",
      columns: [],
      constraint: "discount_codes_usage_limit",
    });
    expect(isCheckViolation(error, "discount_codes_usage_limit")).toBe(true);
    expect(isCheckViolation(error, "discount_customer_usage_limit")).toBe(false);

    await env.DB.prepare("create table if not exists errors_test_probe (a integer check (a > 0))").run();
    const unnamed = await failureOf(env.DB.prepare("insert into errors_test_probe values (0)").run());
    expect(constraintFailure(unnamed)).toEqual({ kind: "check", table: "", columns: [], constraint: "a > 0" });
  });

  it("names the index of a unique expression index", async () => {
    await env.DB.prepare("create table if not exists errors_test_expression (a text)").run();
    await env.DB.prepare(
      "create unique index if not exists errors_test_expression_lower on errors_test_expression (lower(a))",
    ).run();
    const error = await failureOf(env.DB.prepare("insert into errors_test_expression values ('x'), ('X')").run());
    expect(constraintFailure(error)).toEqual({
      kind: "unique",
      table: "",
      columns: [],
      constraint: "errors_test_expression_lower",
    });
    expect(isUniqueViolation(error, "errors_test_expression_lower")).toBe(true);
  });

  it("recognises a FOREIGN KEY failure, which names nothing", async () => {
    const error = await failureOf(
      env.DB.prepare(
        "insert into refresh_tokens (id, family_id, user_id, token_hash, created_at, expires_at) values (?, 'f', 'usr_nobody', ?, 1, 2)",
      )
        .bind(`rt_${crypto.randomUUID()}`, crypto.randomUUID())
        .run(),
    );
    expect(constraintFailure(error)).toEqual({ kind: "foreign_key", table: "", columns: [] });
    expect(isForeignKeyViolation(error)).toBe(true);
    expect(isUniqueViolation(error)).toBe(false);
  });

  it("is undefined for any other error", async () => {
    const error = await failureOf(env.DB.prepare("select * from errors_test_no_such_table").run());
    expect(String(error)).toContain("D1_ERROR");
    expect(constraintFailure(error)).toBeUndefined();
    expect(constraintFailure(new Error("D1_ERROR: simulated outage at order_batch"))).toBeUndefined();
    expect(constraintFailure(undefined)).toBeUndefined();
    expect(constraintFailure(null)).toBeUndefined();
    expect(constraintFailure({ message: 42 })).toBeUndefined();
  });
});

describe("D1's wrapping", () => {
  it("reads through the D1_ERROR prefix, the SQLITE code suffix and any depth of cause", async () => {
    const user = await newUser();
    const error = await failureOf(db.batch([db.insert(users).values({ ...user, id: `usr_${crypto.randomUUID()}` })]));
    expect((error as Error).message).toMatch(/^D1_ERROR: UNIQUE constraint failed: users\.email/);
    const wrapped = new Error("the order could not be saved", { cause: new Error("retrying", { cause: error }) });
    expect(isUniqueViolation(wrapped, "users.email")).toBe(true);
    // as messages alone: prefixed without a cause, and without a detail at all
    expect(
      constraintFailure(new Error("D1_ERROR: NOT NULL constraint failed: order_lines.sku: SQLITE_CONSTRAINT")),
    ).toEqual({ kind: "not_null", table: "order_lines", columns: ["sku"] });
    expect(constraintFailure(new Error("D1_ERROR: UNIQUE constraint failed"))).toEqual({
      kind: "unique",
      table: "",
      columns: [],
    });
  });

  it("never reads drizzle's query text: a value that looks like a constraint message is not one", async () => {
    const user = await newUser();
    const lookalike = "NOT NULL constraint failed: carts.updated_at";
    const error = await failureOf(
      db
        .insert(users)
        .values({ ...user, id: `usr_${crypto.randomUUID()}`, name: lookalike })
        .run(),
    );
    expect((error as Error).message).toContain(lookalike); // drizzle's message carries the params
    expect(constraintFailure(error)).toEqual({ kind: "unique", table: "users", columns: ["email"] });
    expect(constraintFailure(new Error(`Failed query: insert ...\nparams: ${lookalike}`))).toBeUndefined();
  });
});
