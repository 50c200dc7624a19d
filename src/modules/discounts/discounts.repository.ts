/** Discount codes for the admin API (drizzle only); writes are statements for an audited batch. */
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { discountCodes } from "../../db/schema";

export type DiscountRow = typeof discountCodes.$inferSelect;

export function findDiscount(db: Database, code: string): Promise<DiscountRow | undefined> {
  return db.select().from(discountCodes).where(eq(discountCodes.code, code)).get();
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
