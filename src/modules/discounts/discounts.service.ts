/**
 * Discount codes for merchants: create (409 on a taken code), list with usage counts, edit and
 * deactivate. Each write commits with its audit row. Limits are enforced at checkout by the
 * database (see discounts.rules.ts); lowering a limit below the uses already counted is a 409.
 */
import type { Database } from "../../db/client";
import { isCheckViolation, isUniqueViolation } from "../../db/errors";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors";
import { decodeCursor, toPage } from "../../platform/pagination";
import type { Currency } from "../../platform/money";
import { commitAudited, type Actor } from "../audit/audit.service";
import { normaliseCode } from "./discounts.rules";
import { basisPointsToPercent, percentToBasisPoints } from "../pricing";
import * as repo from "./discounts.repository";
import {
  discountCursorSchema,
  discountShapeProblems,
  type CreateDiscountInput,
  type DiscountListQuery,
  type DiscountView,
  type UpdateDiscountInput,
} from "./discounts.schemas";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ms = (value: string | null | undefined) => (value ? Date.parse(value) : null);

export function toDiscountView(row: repo.DiscountRow): DiscountView {
  return {
    code: row.code,
    type: row.kind,
    value: row.kind === "percentage" ? basisPointsToPercent(row.percentBasisPoints ?? 0) : (row.amount ?? 0),
    currency: row.currency as Currency | null,
    minSubtotal: row.minSubtotal,
    startsAt: iso(row.startsAt),
    endsAt: iso(row.endsAt),
    usageLimit: row.usageLimit,
    perCustomerLimit: row.perCustomerLimit,
    used: row.used,
    active: row.active,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** value → the stored columns of its type (percent → basis points). */
function valueColumns(type: repo.DiscountRow["kind"], value: number) {
  return type === "percentage"
    ? { percentBasisPoints: percentToBasisPoints(value), amount: null }
    : { percentBasisPoints: null, amount: value };
}

export async function createDiscount(db: Database, actor: Actor, input: CreateDiscountInput): Promise<DiscountView> {
  const code = normaliseCode(input.code);
  const row: repo.DiscountRow = {
    code,
    kind: input.type,
    ...valueColumns(input.type, input.value),
    currency: input.currency ?? null,
    minSubtotal: input.minSubtotal,
    startsAt: ms(input.startsAt),
    endsAt: ms(input.endsAt),
    usageLimit: input.usageLimit ?? null,
    perCustomerLimit: input.perCustomerLimit ?? null,
    used: 0,
    active: input.active,
    createdAt: Date.now(),
  };
  try {
    await commitAudited(
      db,
      actor,
      { action: "discounts.created", subject: code, details: { type: input.type, value: input.value } },
      [repo.insertDiscount(db, row)],
    );
  } catch (error) {
    if (isUniqueViolation(error, "discount_codes.code"))
      throw new ConflictError({ detail: `The code ${code} already exists`, extensions: { code } });
    throw error;
  }
  return toDiscountView(row);
}

export async function listDiscounts(db: Database, query: DiscountListQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, discountCursorSchema).code : undefined;
  const rows = await repo.listDiscounts(db, {
    active: query.active === undefined ? undefined : query.active === "true",
    after,
    limit: query.limit,
  });
  return toPage(rows, query.limit, toDiscountView, (row) => ({ code: row.code }));
}

export async function updateDiscount(
  db: Database,
  actor: Actor,
  rawCode: string,
  patch: UpdateDiscountInput,
): Promise<DiscountView> {
  const code = normaliseCode(rawCode);
  const before = await repo.findDiscount(db, code);
  if (!before) throw new NotFoundError({ detail: `No discount code ${code}` });
  const current = toDiscountView(before);
  const merged = { ...current, ...patch };
  const problems = discountShapeProblems(merged);
  if (problems.length > 0)
    throw new ValidationError({ detail: "The code would not be valid after this change", errors: problems });
  const changes: Partial<repo.DiscountRow> = {
    ...(patch.value !== undefined ? valueColumns(before.kind, patch.value) : {}),
    ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
    ...(patch.minSubtotal !== undefined ? { minSubtotal: patch.minSubtotal } : {}),
    ...(patch.startsAt !== undefined ? { startsAt: ms(patch.startsAt) } : {}),
    ...(patch.endsAt !== undefined ? { endsAt: ms(patch.endsAt) } : {}),
    ...(patch.usageLimit !== undefined ? { usageLimit: patch.usageLimit } : {}),
    ...(patch.perCustomerLimit !== undefined ? { perCustomerLimit: patch.perCustomerLimit } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
  };
  try {
    await commitAudited(
      db,
      actor,
      {
        action: patch.active === false ? "discounts.deactivated" : "discounts.updated",
        subject: code,
        details: { fields: Object.keys(patch) },
      },
      [repo.updateDiscount(db, code, changes)],
    );
  } catch (error) {
    if (isCheckViolation(error, "discount_codes_usage_limit"))
      throw new ConflictError({
        detail: `The code was already used ${before.used} times: the limit cannot be lower`,
        extensions: { used: before.used },
      });
    if (isCheckViolation(error, "discount_codes_shape"))
      throw new ValidationError({
        detail: "The code would not be valid after this change",
        errors: [{ path: "value", message: "does not fit the code's type" }],
      });
    throw error;
  }
  return toDiscountView({ ...before, ...changes });
}
