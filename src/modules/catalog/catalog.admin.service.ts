/**
 * Catalog writes: validate against the current state (409 for taken slugs/SKUs, 422 for unknown
 * categories), then ONE D1 batch holding the change, the catalog version bump (which invalidates
 * the shared cache tiers), the audit row and the `catalog.changed` outbox event. A write also
 * clears this isolate's memory tier; other isolates follow within its TTL. No HTTP here.
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../../db/client";
import { isUniqueViolation } from "../../db/errors";
import { ConflictError, NotFoundError, UnprocessableError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import type { Currency } from "../../platform/money";
import { auditInsert, type Actor } from "../audit/audit.service";
import { newEvent, outboxInsert } from "../jobs/outbox";
import * as repo from "./catalog.admin.repository";
import type {
  AdminProductView,
  CreateCategoryInput,
  CreateProductInput,
  PutVariantInput,
  UpdateProductInput,
} from "./catalog.admin.schemas";
import { catalogMemory } from "./catalog.memory";

export interface Change {
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

/** Commits the statements with version bump, audit and event; maps a lost uniqueness race to 409. */
export async function commit(
  db: Database,
  actor: Actor,
  change: Change,
  statements: BatchItem<"sqlite">[],
): Promise<void> {
  const event = newEvent("catalog.changed", { action: change.action, subject: change.subject, ...change.details });
  try {
    await db.batch([
      ...(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]),
      repo.bumpCatalogVersion(db),
      auditInsert(db, actor.origin, {
        action: change.action,
        actorId: actor.userId,
        subject: change.subject,
        details: change.details,
      }),
      outboxInsert(db, event),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError({ detail: "A slug or SKU in this request is already taken" });
    }
    throw error;
  } finally {
    catalogMemory.clear();
  }
}

export async function assertCategoriesExist(db: Database, ids: readonly string[]): Promise<void> {
  const found = new Set(await repo.findExistingCategoryIds(db, ids));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0)
    throw new UnprocessableError({ detail: "Unknown category ids", extensions: { categoryIds: missing } });
}

async function assertFree(
  db: Database,
  productId: string,
  slug: string | undefined,
  skus: readonly string[],
): Promise<void> {
  const taken = await repo.findTaken(db, slug, skus);
  if (taken.slugOwner !== undefined && taken.slugOwner !== productId)
    throw new ConflictError({ detail: `The slug '${slug}' is taken`, extensions: { slug } });
  const foreign = taken.skus.filter((row) => row.productId !== productId).map((row) => row.sku);
  if (foreign.length > 0)
    throw new ConflictError({ detail: "SKUs already belong to another product", extensions: { skus: foreign } });
}

/** Admin views of product rows, details loaded for all of them in one batch. */
export async function toAdminProducts(db: Database, rows: repo.AdminProductRow[]): Promise<AdminProductView[]> {
  if (rows.length === 0) return [];
  const { variantRows, priceRows, linkRows } = await repo.findAdminDetails(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((product) => ({
    id: product.id,
    slug: product.slug,
    title: product.title,
    description: product.description,
    status: product.status,
    images: product.images,
    categoryIds: linkRows.filter((link) => link.productId === product.id).map((link) => link.categoryId),
    variants: variantRows
      .filter((variant) => variant.productId === product.id)
      .map((variant) => ({
        sku: variant.sku,
        title: variant.title,
        options: variant.options,
        weightGrams: variant.weightGrams,
        position: variant.position,
        status: variant.status,
        prices: priceRows
          .filter((price) => price.sku === variant.sku)
          .map((price) => ({ amount: price.amount, currency: price.currency as Currency })),
      })),
    updatedAt: product.updatedAt,
  }));
}

export async function loadAdminProduct(db: Database, id: string): Promise<AdminProductView> {
  const row = await repo.findProductRow(db, id);
  if (!row) throw new NotFoundError({ detail: "No such product" });
  const [view] = await toAdminProducts(db, [row]);
  return view as AdminProductView;
}

export async function createProduct(db: Database, actor: Actor, input: CreateProductInput): Promise<AdminProductView> {
  const id = newId("prod");
  await assertCategoriesExist(db, input.categoryIds);
  await assertFree(
    db,
    id,
    input.slug,
    input.variants.map((variant) => variant.sku),
  );
  const now = Date.now();
  const statements: BatchItem<"sqlite">[] = [
    repo.insertProduct(db, {
      id,
      slug: input.slug,
      title: input.title,
      description: input.description,
      status: input.status,
      images: input.images,
      createdAt: now,
      updatedAt: now,
    }),
  ];
  for (const [index, { prices, position, ...variant }] of input.variants.entries()) {
    statements.push(
      repo.upsertVariant(db, { ...variant, productId: id, position: position ?? index }),
      ...repo.replacePrices(db, variant.sku, prices),
    );
  }
  statements.push(...repo.replaceCategoryLinks(db, id, input.categoryIds));
  await commit(
    db,
    actor,
    {
      action: "catalog.product.created",
      subject: id,
      details: { productId: id, slug: input.slug, status: input.status },
    },
    statements,
  );
  return loadAdminProduct(db, id);
}

export async function updateProduct(
  db: Database,
  actor: Actor,
  id: string,
  patch: UpdateProductInput,
): Promise<AdminProductView> {
  await loadAdminProduct(db, id);
  if (patch.categoryIds) await assertCategoriesExist(db, patch.categoryIds);
  if (patch.slug !== undefined) await assertFree(db, id, patch.slug, []);
  const { categoryIds, ...fields } = patch;
  const statements: BatchItem<"sqlite">[] = [repo.updateProduct(db, id, { ...fields, updatedAt: Date.now() })];
  if (categoryIds) statements.push(...repo.replaceCategoryLinks(db, id, categoryIds));
  await commit(
    db,
    actor,
    { action: "catalog.product.updated", subject: id, details: { productId: id, fields: Object.keys(patch) } },
    statements,
  );
  return loadAdminProduct(db, id);
}

export async function putVariant(
  db: Database,
  actor: Actor,
  productId: string,
  sku: string,
  input: PutVariantInput,
): Promise<{ created: boolean; product: AdminProductView }> {
  const before = await loadAdminProduct(db, productId);
  await assertFree(db, productId, undefined, [sku]);
  const created = !before.variants.some((variant) => variant.sku === sku);
  const { prices, position, ...fields } = input;
  const statements: BatchItem<"sqlite">[] = [
    repo.upsertVariant(db, {
      ...fields,
      sku,
      productId,
      position: position ?? (created ? before.variants.length : undefined),
    }),
    ...repo.replacePrices(db, sku, prices),
    repo.updateProduct(db, productId, { updatedAt: Date.now() }),
  ];
  await commit(
    db,
    actor,
    {
      action: created ? "catalog.variant.created" : "catalog.variant.updated",
      subject: productId,
      details: { productId, sku },
    },
    statements,
  );
  return { created, product: await loadAdminProduct(db, productId) };
}

export async function createCategory(db: Database, actor: Actor, input: CreateCategoryInput) {
  if (input.parentId !== null) await assertCategoriesExist(db, [input.parentId]);
  const id = newId("cat");
  await commit(
    db,
    actor,
    { action: "catalog.category.created", subject: id, details: { categoryId: id, slug: input.slug } },
    [repo.insertCategory(db, { id, ...input })],
  );
  return { id, ...input };
}
