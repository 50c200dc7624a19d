/** Tax rules for the admin API (drizzle only); writes are statements for an audited batch. */
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { taxRules } from "../../db/schema";

export type TaxRuleRow = typeof taxRules.$inferSelect;

export function findTaxRule(db: Database, id: string): Promise<TaxRuleRow | undefined> {
  return db.select().from(taxRules).where(eq(taxRules.id, id)).get();
}

/** By (country, region, id): the unique index serves the order and the keyset. */
export function listTaxRules(
  db: Database,
  filter: { country?: string; after?: { country: string; region: string; id: string }; limit: number },
) {
  const conditions: (SQL | undefined)[] = [
    filter.country ? eq(taxRules.country, filter.country) : undefined,
    filter.after
      ? sql`(${taxRules.country}, ${taxRules.region}, ${taxRules.id}) >
        (${filter.after.country}, ${filter.after.region}, ${filter.after.id})`
      : undefined,
  ];
  return db
    .select()
    .from(taxRules)
    .where(and(...conditions))
    .orderBy(asc(taxRules.country), asc(taxRules.region), asc(taxRules.id))
    .limit(filter.limit + 1);
}

export function insertTaxRule(db: Database, row: typeof taxRules.$inferInsert) {
  return db.insert(taxRules).values(row);
}

export function updateTaxRule(db: Database, id: string, patch: Partial<typeof taxRules.$inferInsert>) {
  return db.update(taxRules).set(patch).where(eq(taxRules.id, id));
}

export function deleteTaxRule(db: Database, id: string) {
  return db.delete(taxRules).where(eq(taxRules.id, id));
}
