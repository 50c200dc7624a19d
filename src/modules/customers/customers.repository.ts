/** Saved addresses and the customer reads of the admin API (drizzle only). */
import { and, asc, count, desc, eq, inArray, lt, or, sql, sum, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { customerAddresses, orderRefunds, orders, users } from "../../db/schema";

export type SavedAddressRow = typeof customerAddresses.$inferSelect;
export type UserRow = typeof users.$inferSelect;

/** What counts toward lifetime value: the money was taken and not given back (partial refunds are subtracted). */
export const VALUE_STATUSES = ["paid", "fulfilled", "partially_shipped", "shipped", "delivered"] as const;
const RECENT_ORDERS = 50;

export function selectAddresses(db: Database, userId: string) {
  return db
    .select()
    .from(customerAddresses)
    .where(eq(customerAddresses.userId, userId))
    .orderBy(asc(customerAddresses.createdAt), asc(customerAddresses.id));
}

/**
 * Inserts only while the customer has fewer than `max` addresses (0 changed rows = at the limit),
 * so two concurrent saves cannot both take the last slot.
 */
export function insertAddressBelow(db: Database, row: SavedAddressRow, max: number) {
  return db.run(sql`insert into ${customerAddresses} (id, user_id, label, address, created_at)
    select ${row.id}, ${row.userId}, ${row.label}, ${JSON.stringify(row.address)}, ${row.createdAt}
    where (select count(*) from ${customerAddresses} where user_id = ${row.userId}) < ${max}`);
}

export async function deleteAddress(db: Database, userId: string, id: string): Promise<boolean> {
  const result = await db
    .delete(customerAddresses)
    .where(and(eq(customerAddresses.id, id), eq(customerAddresses.userId, userId)));
  return (result.meta.changes ?? 0) > 0;
}

/** `%` and `_` in the text are literal, not wildcards. */
function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export function listCustomers(db: Database, filter: { q?: string; after?: { t: number; id: string }; limit: number }) {
  const conditions: (SQL | undefined)[] = [
    eq(users.role, "customer"),
    filter.q
      ? or(
          sql`${users.email} like ${containing(filter.q)} escape '\\'`,
          sql`lower(${users.name}) like ${containing(filter.q)} escape '\\'`,
        )
      : undefined,
    filter.after
      ? or(lt(users.createdAt, filter.after.t), and(eq(users.createdAt, filter.after.t), lt(users.id, filter.after.id)))
      : undefined,
  ];
  return db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(filter.limit + 1);
}

/** Everything the customer detail shows, in one batch: profile, addresses, latest orders, counts and value per currency. */
export async function findCustomerDetail(db: Database, id: string) {
  const [profile, addresses, recent, counted, value] = await db.batch([
    db.select().from(users).where(eq(users.id, id)),
    selectAddresses(db, id),
    db
      .select()
      .from(orders)
      .where(eq(orders.userId, id))
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(RECENT_ORDERS),
    db.select({ orders: count() }).from(orders).where(eq(orders.userId, id)),
    db
      // net of partial refunds: what was taken and not given back
      .select({
        currency: orders.currency,
        amount: sum(
          sql`${orders.total} - (select coalesce(sum(${orderRefunds.amount}), 0) from
            ${orderRefunds} where ${orderRefunds.orderId} = ${orders.id})`,
        ).mapWith(Number),
        orders: count(),
      })
      .from(orders)
      .where(and(eq(orders.userId, id), inArray(orders.status, [...VALUE_STATUSES])))
      .groupBy(orders.currency)
      .orderBy(asc(orders.currency)),
  ]);
  return { user: profile[0], addresses, recent, orderCount: counted[0]?.orders ?? 0, value };
}
