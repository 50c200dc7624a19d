/** Category tree writes and the reads they need (drizzle only). */
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { categories, productCategories } from "../../db/schema";

export type CategoryRow = typeof categories.$inferSelect;

/** One round trip: the category, its subtree (itself included) and how many products link to it. */
export async function findCategoryWithSubtree(db: Database, id: string) {
  const [rows, subtree, links] = await db.batch([
    db.select().from(categories).where(eq(categories.id, id)),
    db
      .select({ id: categories.id })
      .from(categories)
      .where(
        sql`${categories.id} in (with recursive tree(id) as (select ${id} union select c.id from
          ${categories} c join tree on c.parent_id = tree.id) select id from tree)`,
      ),
    db
      .select({ count: sql<number>`count(*)` })
      .from(productCategories)
      .where(eq(productCategories.categoryId, id)),
  ]);
  return { category: rows[0], subtreeIds: new Set(subtree.map((row) => row.id)), linkedProducts: links[0]?.count ?? 0 };
}

export function updateCategory(db: Database, id: string, patch: Partial<CategoryRow>) {
  return db.update(categories).set(patch).where(eq(categories.id, id));
}

/** Unlinks its products, lifts its children to its own parent, then deletes it. */
export function deleteCategoryStatements(db: Database, category: CategoryRow) {
  return [
    db.delete(productCategories).where(eq(productCategories.categoryId, category.id)),
    db.update(categories).set({ parentId: category.parentId }).where(eq(categories.parentId, category.id)),
    db.delete(categories).where(eq(categories.id, category.id)),
  ];
}
