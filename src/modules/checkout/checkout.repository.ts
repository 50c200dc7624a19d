/**
 * The durable checkout records (drizzle only). Every state change is a compare-and-set on the
 * current state, so a request resuming a checkout and the sweep finishing it cannot both act; the
 * loser reloads the row and follows the state the winner left.
 */
import { and, asc, desc, eq, inArray, like, lte, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { isNotNullViolation } from "../../db/errors";
import { checkouts, type CheckoutState } from "../../db/schema";
import { unchangedCartId } from "../cart/cart-lock";

export type CheckoutRow = typeof checkouts.$inferSelect;
export type NewCheckoutRow = typeof checkouts.$inferInsert;

/** Facts a state change stores for the steps after it (the payment id before any refund needs it). */
export type CheckoutFacts = Partial<Pick<CheckoutRow, "paymentId" | "failure" | "nextAction">>;

/**
 * Writes a new checkout unless the cart already has one that has not failed (false then). Throws
 * (`isChangedCartError`) when the cart was written after it was priced at `pricedCartUpdatedAt`:
 * the snapshot would then miss an edit the buyer was told had succeeded (cart-lock.ts).
 */
export async function insertCheckout(
  db: Database,
  row: NewCheckoutRow,
  pricedCartUpdatedAt: number,
  maxClientHolds?: number,
): Promise<boolean> {
  // the bound on one client's live holds is part of the insert itself, so parallel requests cannot all
  // pass a count read earlier: over it, the NOT NULL request key is NULL and the insert fails
  const requestKey =
    row.clientKey && maxClientHolds !== undefined
      ? sql`(select ${row.requestKey} where (select count(*) from ${checkouts} where
        ${checkouts.clientKey} = ${row.clientKey} and ${CLIENT_LIVE_PREDICATE}) < ${maxClientHolds})`
      : row.requestKey;
  const result = await db
    .insert(checkouts)
    .values({ ...row, requestKey, cartId: unchangedCartId(row.cartId, pricedCartUpdatedAt) })
    .onConflictDoNothing()
    .run();
  return result.meta.changes === 1;
}

/** The client's hold bound refused the checkout's insert (its request key went NULL). */
export const isHoldsExceededError = (error: unknown) => isNotNullViolation(error, "checkouts.request_key");

/**
 * Batchable: the newest checkout this request (scope + Idempotency-Key) started for this cart, in
 * any state: a live one is resumed; one that ended is the key's answer when no request stored it
 * (a checkout that waited for the buyer ends by the webhook, the sweep or /complete).
 */
export function selectKeyCheckout(db: Database, requestKey: string, cartId: string) {
  return db
    .select()
    .from(checkouts)
    .where(and(eq(checkouts.requestKey, requestKey), eq(checkouts.cartId, cartId)))
    .orderBy(desc(checkouts.createdAt))
    .limit(1);
}

export async function findKeyCheckout(
  db: Database,
  requestKey: string,
  cartId: string,
): Promise<CheckoutRow | undefined> {
  const [row] = await selectKeyCheckout(db, requestKey, cartId);
  return row;
}

/** Batchable: the cart's checkout that has not failed (at most one: `checkouts_cart_live_idx`). */
export function selectCartCheckout(db: Database, cartId: string) {
  return db
    .select()
    .from(checkouts)
    .where(and(eq(checkouts.cartId, cartId), ne(checkouts.state, "compensated")))
    .limit(1);
}

export async function findCartCheckout(db: Database, cartId: string): Promise<CheckoutRow | undefined> {
  const [row] = await selectCartCheckout(db, cartId);
  return row;
}

/** One client's live checkouts (they hold stock); the predicate repeats `checkouts_client_live_idx`'s verbatim. */
export const CLIENT_LIVE_PREDICATE = sql`${checkouts.state} IN ('reserving', 'charging', 'requires_action', 'charged', 'compensating')`;

/** Batchable: how many live checkouts this client has. */
export function selectClientHolds(db: Database, clientKey: string) {
  return db
    .select({ holds: sql<number>`count(*)` })
    .from(checkouts)
    .where(and(eq(checkouts.clientKey, clientKey), CLIENT_LIVE_PREDICATE));
}

export function findCheckout(db: Database, id: string): Promise<CheckoutRow | undefined> {
  return db.select().from(checkouts).where(eq(checkouts.id, id)).get();
}

/**
 * Moves `from` → `to` only if the checkout is still in `from`, storing the facts the next steps
 * need; the sweep leaves the row alone for `quietMs`. Answers the row as it now is, or undefined
 * when someone else moved it first.
 */
export async function moveCheckout(
  db: Database,
  id: string,
  from: CheckoutState,
  to: CheckoutState,
  facts: CheckoutFacts,
  now: number,
  quietMs: number,
): Promise<CheckoutRow | undefined> {
  const [row] = await moveStatement(db, id, from, to, facts, now, quietMs).returning();
  return row;
}

export function moveStatement(
  db: Database,
  id: string,
  from: CheckoutState,
  to: CheckoutState,
  facts: CheckoutFacts,
  now: number,
  quietMs: number,
) {
  return db
    .update(checkouts)
    .set({ state: to, ...facts, attempts: 0, nextAttemptAt: now + quietMs, updatedAt: now })
    .where(and(eq(checkouts.id, id), eq(checkouts.state, from)));
}

/**
 * The buyer pays with another card after a failed authentication: the one move made
 * outside the lifecycle table, a compare-and-set from `requires_action` with the failure stored
 * (`awaitsAnotherCard`) to `charging`, with the new method, a new charge key (`charge_attempt`) and
 * the old payment forgotten. Undefined when the checkout was not waiting for another card (any more).
 */
export async function restartCharge(
  db: Database,
  id: string,
  change: { paymentMethod: string; returnUrl: string | null },
  now: number,
  quietMs: number,
): Promise<CheckoutRow | undefined> {
  const [row] = await db
    .update(checkouts)
    .set({
      state: "charging",
      paymentMethod: change.paymentMethod,
      returnUrl: change.returnUrl,
      chargeAttempt: sql`${checkouts.chargeAttempt} + 1`,
      paymentId: null,
      nextAction: null,
      failure: null,
      attempts: 0,
      nextAttemptAt: now + quietMs,
      updatedAt: now,
    })
    .where(and(eq(checkouts.id, id), eq(checkouts.state, "requires_action"), like(checkouts.failure, "402 %")))
    .returning();
  return row;
}

/** Nothing could be done now (outcome unknown, a refund failing): look again at `nextAttemptAt`. */
export async function deferCheckout(
  db: Database,
  id: string,
  state: CheckoutState,
  nextAttemptAt: number,
  countAttempt: boolean,
  facts: Pick<CheckoutFacts, "failure"> = {},
): Promise<void> {
  await db
    .update(checkouts)
    .set({ nextAttemptAt, ...facts, ...(countAttempt ? { attempts: sql`${checkouts.attempts} + 1` } : {}) })
    .where(and(eq(checkouts.id, id), eq(checkouts.state, state)))
    .run();
}

export async function markStockCommitted(db: Database, id: string, now: number): Promise<void> {
  await db.update(checkouts).set({ stockCommittedAt: now }).where(eq(checkouts.id, id)).run();
}

/**
 * What the sweep must look at: live checkouts (and completed ones whose reservation was never
 * committed) that are due. The predicate repeats `checkouts_sweep_idx`'s WHERE verbatim so SQLite
 * can use that partial index: the sweep reads live rows only, however many finished ones exist.
 */
export const LIVE_PREDICATE = sql`(${checkouts.state} IN ('reserving', 'charging', 'charged', 'compensating') OR (${
  checkouts.state
} = 'completed' AND ${checkouts.stockCommittedAt} IS NULL))`;

export async function findDueCheckouts(db: Database, now: number, limit: number): Promise<CheckoutRow[]> {
  // checkouts waiting for the buyer have their own partial index (`checkouts_action_idx`): two reads, each on its index
  const [live, waiting] = await db.batch([
    db
      .select()
      .from(checkouts)
      .where(and(LIVE_PREDICATE, lte(checkouts.nextAttemptAt, now)))
      .orderBy(asc(checkouts.nextAttemptAt))
      .limit(limit),
    db
      .select()
      .from(checkouts)
      .where(and(eq(checkouts.state, "requires_action"), lte(checkouts.nextAttemptAt, now)))
      .orderBy(asc(checkouts.nextAttemptAt))
      .limit(limit),
  ]);
  return [...live, ...waiting].sort((a, b) => a.nextAttemptAt - b.nextAttemptAt).slice(0, limit);
}

/** Finished checkouts past their retention: their orders keep everything worth keeping. */
export async function purgeFinishedCheckouts(db: Database, before: number, limit: number): Promise<number> {
  const old = db
    .select({ id: checkouts.id })
    .from(checkouts)
    .where(
      and(
        inArray(checkouts.state, ["completed", "compensated"]),
        sql`${checkouts.stockCommittedAt} IS NOT NULL OR ${checkouts.state} = 'compensated'`,
        lte(checkouts.updatedAt, before),
      ),
    )
    .limit(limit);
  const result = await db.delete(checkouts).where(inArray(checkouts.id, old)).run();
  return result.meta.changes;
}
