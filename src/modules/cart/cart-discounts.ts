/**
 * Discount codes as the cart sees them: whether a code may apply to a cart right now, and the
 * statements checkout puts in its order batch to redeem one. The usage limit is enforced by a
 * CHECK constraint (used <= usage_limit): the increment fails, and with it the whole batch, when
 * the last use is gone — so two concurrent checkouts can never both take it.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { discountCodes, discountRedemptions } from "../../db/schema";
import type { Caller } from "../../platform/context";
import { UnprocessableError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { can } from "../identity/permissions";
import type { DiscountInput } from "../pricing";
import type { DiscountCodeRow } from "./cart.repository";

export type DiscountRefusal = "unknown" | "inactive" | "not_started" | "expired" | "exhausted" | "wrong_currency";
export type DiscountEligibility = { ok: true; input: DiscountInput } | { ok: false; reason: DiscountRefusal };

/**
 * The 422 for a code that cannot be used. Staff learn why; everyone else gets ONE answer for any
 * unusable code (`reason: "unusable"`) — "inactive" or "not started" would tell an outsider that a
 * code exists (a campaign not yet announced, a code worth guessing variations of).
 */
export function discountRefused(reason: DiscountRefusal, caller: Caller | undefined): UnprocessableError {
  if (caller && can(caller.role, "orders:manage")) return new UnprocessableError({ detail: `The code cannot be used (${reason})`, extensions: { reason } });
  return new UnprocessableError({ detail: "This code cannot be used", extensions: { reason: "unusable" } });
}

export function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

export function discountEligibility(row: DiscountCodeRow | undefined, currency: string, now: number): DiscountEligibility {
  if (!row) return { ok: false, reason: "unknown" };
  if (!row.active) return { ok: false, reason: "inactive" };
  if (row.startsAt !== null && now < row.startsAt) return { ok: false, reason: "not_started" };
  if (row.endsAt !== null && now >= row.endsAt) return { ok: false, reason: "expired" };
  if (row.usageLimit !== null && row.used >= row.usageLimit) return { ok: false, reason: "exhausted" };
  if (row.currency !== null && row.currency !== currency) return { ok: false, reason: "wrong_currency" };
  if (row.kind === "percentage") return { ok: true, input: { code: row.code, kind: "percentage", percentBasisPoints: row.percentBasisPoints ?? 0, minSubtotal: row.minSubtotal } };
  return { ok: true, input: { code: row.code, kind: "fixed", amount: row.amount ?? 0, minSubtotal: row.minSubtotal } };
}

export interface Redemption {
  code: string;
  orderId: string;
  userId: string | null;
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
  return [
    db.update(discountCodes).set({ used: sql`${discountCodes.used} + 1` }).where(eq(discountCodes.code, redemption.code)),
    db.insert(discountRedemptions).values({ id: newId("disc"), code: redemption.code, orderId: redemption.orderId, userId: redemption.userId, amount: redemption.amount, currency: redemption.currency, createdAt: redemption.now }),
  ] as const;
}

/** True when a failed batch failed because a discount code's usage limit was reached. */
export function isDiscountUsageExhausted(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if (String((current as { message?: unknown }).message ?? current).includes("discount_codes_usage_limit")) return true;
  }
  return false;
}
