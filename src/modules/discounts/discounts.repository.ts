/** Discount codes (drizzle only): the one read of a code, for the cart and the admin API; writes are statements for an audited batch. */
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { discountCodes } from "../../db/schema";

export type DiscountRow = typeof discountCodes.$inferSelect;

/** One code, as a query the cart's pricing batch can carry (`code` may be a subquery). */
export function selectDiscountCode(db: Database, code: string | SQL) {
  return db.select().from(discountCodes).where(eq(discountCodes.code, code)).limit(1);
}

export function findDiscount(db: Database, code: string): Promise<DiscountRow | undefined> {
  return selectDiscountCode(db, code).get();
}

export function listDiscounts(db: Database, filter: { active?: boolean; after?: string; limit: number }) {
  const conditions: (SQL | undefined)[] = [
    filter.active === undefined ? undefined : eq(discountCodes.active, filter.active),
    filter.after ? gt(discountCodes.code, filter.after) : undefined,
  ];
  return db
    .select()
    .from(discountCodes)
    .where(and(...conditions))
    .orderBy(asc(discountCodes.code))
    .limit(filter.limit + 1);
}

export function insertDiscount(db: Database, row: typeof discountCodes.$inferInsert) {
  return db.insert(discountCodes).values(row);
}

export function updateDiscount(db: Database, code: string, patch: Partial<typeof discountCodes.$inferInsert>) {
  return db.update(discountCodes).set(patch).where(eq(discountCodes.code, code));
}
