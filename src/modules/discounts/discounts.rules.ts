/**
 * The rules of a discount code at the cart and checkout: whether a code may apply to a cart right now, and the
 * statements checkout puts in its order batch to redeem one. Both limits are enforced by CHECK
 * constraints: the global one on discount_codes (used <= usage_limit), the per-customer one on
 * discount_customer_usage (each customer's row carries the limit). The increment past either
 * fails, and with it the whole batch — so two concurrent checkouts can never both take the last
 * use. A customer is counted under its user id (signed in) AND its order email, so checking out
 * as a guest with the same email does not reset the count.
 */
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { isCheckViolation } from "../../db/errors";
import { carts, discountCodes, discountCustomerUsage, discountRedemptions } from "../../db/schema";
import type { Caller } from "../../platform/context";
import { UnprocessableError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { can } from "../identity/permissions";
import type { DiscountInput } from "../pricing";
import type { DiscountRow } from "./discounts.repository";

export type DiscountRefusal =
  "unknown" | "inactive" | "not_started" | "expired" | "exhausted" | "exhausted_for_customer" | "wrong_currency";
export type DiscountEligibility = { ok: true; input: DiscountInput } | { ok: false; reason: DiscountRefusal };

/**
 * The 422 for a code that cannot be used. Staff learn why; everyone else gets ONE answer for any
 * unusable code (`reason: "unusable"`) — "inactive" or "not started" would tell an outsider that a
 * code exists (a campaign not yet announced, a code worth guessing variations of).
 */
export function discountRefused(reason: DiscountRefusal, caller: Caller | undefined): UnprocessableError {
  if (caller && can(caller.role, "orders:manage"))
    return new UnprocessableError({ detail: `The code cannot be used (${reason})`, extensions: { reason } });
  return new UnprocessableError({ detail: "This code cannot be used", extensions: { reason: "unusable" } });
}

export function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

/** The keys a customer's uses are counted under (see the module header). */
export function customerKeys(userId: string | null | undefined, email: string | null | undefined): string[] {
  return [...(userId ? [`usr:${userId}`] : []), ...(email ? [`email:${email.toLowerCase()}`] : [])];
}

/**
 * `customerKeys` of a stored cart, computed in SQL from its row (for a batch that has not read the
 * row yet). Emails pass `z.email()`, which admits ASCII only, so SQLite's lower() is toLowerCase().
 */
export function storedCustomerKeys(cartId: string): SQL {
  return sql`(select 'usr:' || ${carts.userId} from ${carts} where ${carts.id} = ${cartId} and ${carts.userId} is not null
    union all select 'email:' || lower(${carts.email}) from ${carts} where ${carts.id} = ${cartId} and ${carts.email} is not null)`;
}

/** `customerUses`: the most uses of this code counted under any of the customer's keys. */
export function discountEligibility(
  row: DiscountRow | undefined,
  currency: string,
  now: number,
  customerUses = 0,
): DiscountEligibility {
  if (!row) return { ok: false, reason: "unknown" };
  if (!row.active) return { ok: false, reason: "inactive" };
  if (row.startsAt !== null && now < row.startsAt) return { ok: false, reason: "not_started" };
  if (row.endsAt !== null && now >= row.endsAt) return { ok: false, reason: "expired" };
  if (row.usageLimit !== null && row.used >= row.usageLimit) return { ok: false, reason: "exhausted" };
  if (row.perCustomerLimit !== null && customerUses >= row.perCustomerLimit)
    return { ok: false, reason: "exhausted_for_customer" };
  if (row.currency !== null && row.currency !== currency) return { ok: false, reason: "wrong_currency" };
  if (row.kind === "percentage")
    return {
      ok: true,
      input: {
        code: row.code,
        kind: "percentage",
        percentBasisPoints: row.percentBasisPoints ?? 0,
        minSubtotal: row.minSubtotal,
      },
    };
  return { ok: true, input: { code: row.code, kind: "fixed", amount: row.amount ?? 0, minSubtotal: row.minSubtotal } };
}

export interface Redemption {
  code: string;
  orderId: string;
  userId: string | null;
  /** The order's email: a per-customer key even for a guest. */
  email: string;
  amount: number;
  currency: string;
  now: number;
}

/**
 * For checkout: put BOTH statements in the same `db.batch([...])` as the order insert. If the code
 * has no use left the UPDATE violates `discount_codes_usage_limit`, D1 rolls the whole batch back
 * (no order, no redemption) and the error satisfies `isDiscountUsageExhausted` → answer 409/422.
 */
export function discountRedemptionStatements(db: Database, redemption: Redemption) {
  // the code's CURRENT per-customer limit goes into the row, so a limit lowered later still holds
  const limit = sql`(select ${discountCodes.perCustomerLimit} from ${discountCodes} where ${discountCodes.code} = ${redemption.code})`;
  return [
    db
      .update(discountCodes)
      .set({ used: sql`${discountCodes.used} + 1` })
      .where(eq(discountCodes.code, redemption.code)),
    db.insert(discountRedemptions).values({
      id: newId("disc"),
      code: redemption.code,
      orderId: redemption.orderId,
      userId: redemption.userId,
      amount: redemption.amount,
      currency: redemption.currency,
      createdAt: redemption.now,
    }),
    ...customerKeys(redemption.userId, redemption.email).map((customer) =>
      db
        .insert(discountCustomerUsage)
        .values({ code: redemption.code, customer, used: 1, usageLimit: limit })
        .onConflictDoUpdate({
          target: [discountCustomerUsage.code, discountCustomerUsage.customer],
          set: { used: sql`${discountCustomerUsage.used} + 1`, usageLimit: limit },
        }),
    ),
  ] as const;
}

/** The customer's uses of `code` (one row per key); the pricing batch reads it. */
export function selectCustomerUses(db: Database, code: string | SQL, keys: readonly string[] | SQL) {
  const customers = Array.isArray(keys) ? (keys.length > 0 ? [...keys] : [""]) : (keys as SQL);
  return db
    .select({ used: discountCustomerUsage.used })
    .from(discountCustomerUsage)
    .where(and(eq(discountCustomerUsage.code, code), inArray(discountCustomerUsage.customer, customers)));
}

const LIMIT_CONSTRAINTS = ["discount_codes_usage_limit", "discount_customer_usage_limit"];

/** True when a failed batch failed because a discount code's usage limit (global or per customer) was reached. */
export function isDiscountUsageExhausted(error: unknown): boolean {
  return LIMIT_CONSTRAINTS.some((name) => isCheckViolation(error, name));
}
