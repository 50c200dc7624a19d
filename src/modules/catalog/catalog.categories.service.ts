/**
 * Category tree edits: rename, re-slug, reorder and move (never under itself or a descendant:
 * the tree stays a tree, 409), and delete (409 while products are linked, unless asked to unlink;
 * its children move up to its parent). Each change goes through the catalog's commit: version
 * bump (cache invalidation), audit row and `catalog.changed` event in one batch.
 */
import type { Database } from "../../db/client";
import { ConflictError, NotFoundError } from "../../platform/errors";
import type { Actor } from "../audit/audit.service";
import { assertCategoriesExist, commit } from "./catalog.admin.service";
import type { UpdateCategoryInput } from "./catalog.admin.schemas";
import * as repo from "./catalog.categories.repository";
import type { CategoryView } from "./catalog.schemas";

async function requireCategory(db: Database, id: string) {
  const found = await repo.findCategoryWithSubtree(db, id);
  if (!found.category) throw new NotFoundError({ detail: `No category ${id}` });
  return { ...found, category: found.category };
}

export async function updateCategory(
  db: Database,
  actor: Actor,
  id: string,
  patch: UpdateCategoryInput,
): Promise<CategoryView> {
  const { category, subtreeIds } = await requireCategory(db, id);
  if (patch.parentId) {
    if (subtreeIds.has(patch.parentId))
      throw new ConflictError({
        detail: "A category cannot move under itself or one of its descendants",
        extensions: { parentId: patch.parentId },
      });
    await assertCategoriesExist(db, [patch.parentId]);
  }
  await commit(
    db,
    actor,
    { action: "catalog.category.updated", subject: id, details: { categoryId: id, fields: Object.keys(patch) } },
    [repo.updateCategory(db, id, patch)],
  );
  const { slug, name, parentId, position } = { ...category, ...patch };
  return { id, slug, name, parentId, position };
}

export async function deleteCategory(db: Database, actor: Actor, id: string, unlink: boolean): Promise<void> {
  const { category, linkedProducts } = await requireCategory(db, id);
  if (linkedProducts > 0 && !unlink) {
    throw new ConflictError({
      detail: `${linkedProducts} products are in this category; unlink them first or delete with ?unlink=true`,
      extensions: { linkedProducts },
    });
  }
  await commit(
    db,
    actor,
    { action: "catalog.category.deleted", subject: id, details: { categoryId: id, unlinkedProducts: linkedProducts } },
    repo.deleteCategoryStatements(db, category),
  );
}
