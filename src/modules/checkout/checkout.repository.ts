/**
 * The durable checkout records (drizzle only). Every state change is a compare-and-set on the
 * current state, so a request resuming a checkout and the sweep compensating it cannot both act.
 */
import { and, desc, eq, inArray, isNull, lt, ne, or } from "drizzle-orm";
import type { Database } from "../../db/client";
import { checkouts, type CheckoutState } from "../../db/schema";

export type CheckoutRow = typeof checkouts.$inferSelect;
export type NewCheckoutRow = typeof checkouts.$inferInsert;

export async function insertCheckout(db: Database, row: NewCheckoutRow): Promise<void> {
  await db.insert(checkouts).values(row).run();
}

/** The latest checkout started by this request (scope + Idempotency-Key) that did not end compensated. */
export function findLiveCheckout(db: Database, requestKey: string): Promise<CheckoutRow | undefined> {
  return db
    .select()
    .from(checkouts)
    .where(and(eq(checkouts.requestKey, requestKey), ne(checkouts.state, "compensated")))
    .orderBy(desc(checkouts.createdAt))
    .get();
}

export function findCheckout(db: Database, id: string): Promise<CheckoutRow | undefined> {
  return db.select().from(checkouts).where(eq(checkouts.id, id)).get();
}

/** Moves `from` → `to` only if the checkout is still in `from`; false when someone else moved it. */
export async function moveCheckout(db: Database, id: string, from: CheckoutState, to: CheckoutState, changes: Partial<Pick<CheckoutRow, "paymentId" | "failure">> = {}, now = Date.now()): Promise<boolean> {
  const result = await moveStatement(db, id, from, to, changes, now).run();
  return result.meta.changes === 1;
}

export function moveStatement(db: Database, id: string, from: CheckoutState, to: CheckoutState, changes: Partial<Pick<CheckoutRow, "paymentId" | "failure">> = {}, now = Date.now()) {
  return db.update(checkouts).set({ state: to, ...changes, updatedAt: now }).where(and(eq(checkouts.id, id), eq(checkouts.state, from)));
}

export async function markStockCommitted(db: Database, id: string, now = Date.now()): Promise<void> {
  await db.update(checkouts).set({ stockCommittedAt: now }).where(eq(checkouts.id, id)).run();
}

/** Unfinished checkouts untouched since `before`, and completed ones whose reservation was never committed. */
export function findStuckCheckouts(db: Database, before: number, limit: number): Promise<CheckoutRow[]> {
  return db
    .select()
    .from(checkouts)
    .where(
      and(
        lt(checkouts.updatedAt, before),
        or(inArray(checkouts.state, ["reserving", "charging", "charged", "compensating"]), and(eq(checkouts.state, "completed"), isNull(checkouts.stockCommittedAt))),
      ),
    )
    .orderBy(checkouts.updatedAt)
    .limit(limit)
    .all();
}
