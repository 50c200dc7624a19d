/**
 * Tax rules for merchants. Carts read the rules from D1 on every pricing (never cached), so a
 * change is what the next reader of any cart sees. One rule per (country, region): a second is a
 * 409. Each write commits with its audit row.
 */
import type { Database } from "../../db/client";
import { isUniqueViolation } from "../../db/errors";
import { ConflictError, NotFoundError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { decodeCursor, toPage } from "../../platform/pagination";
import { commitAudited, type Actor } from "../audit/audit.service";
import * as repo from "./tax-rules.repository";
import {
  taxRuleCursorSchema,
  type CreateTaxRuleInput,
  type TaxRuleListQuery,
  type TaxRuleView,
  type UpdateTaxRuleInput,
} from "./tax-rules.schemas";

export function toTaxRuleView(row: repo.TaxRuleRow): TaxRuleView {
  return {
    id: row.id,
    country: row.country,
    region: row.region === "" ? null : row.region,
    name: row.name,
    rateBasisPoints: row.rateBasisPoints,
    inclusive: row.inclusive,
    appliesToShipping: row.appliesToShipping,
  };
}

async function requireRule(db: Database, id: string): Promise<repo.TaxRuleRow> {
  const row = await repo.findTaxRule(db, id);
  if (!row) throw new NotFoundError({ detail: `No tax rule ${id}` });
  return row;
}

export async function createTaxRule(db: Database, actor: Actor, input: CreateTaxRuleInput): Promise<TaxRuleView> {
  const row: repo.TaxRuleRow = {
    id: newId("tax"),
    country: input.country,
    region: input.region ?? "",
    name: input.name,
    rateBasisPoints: input.rateBasisPoints,
    inclusive: input.inclusive,
    appliesToShipping: input.appliesToShipping,
  };
  try {
    await commitAudited(
      db,
      actor,
      {
        action: "tax.rule.created",
        subject: row.id,
        details: { country: row.country, region: row.region, rateBasisPoints: row.rateBasisPoints },
      },
      [repo.insertTaxRule(db, row)],
    );
  } catch (error) {
    // the (country, region) index
    if (isUniqueViolation(error, "tax_rules.country")) {
      throw new ConflictError({
        detail: `${row.country}${row.region ? `-${row.region}` : ""} already has a tax rule; edit it instead`,
      });
    }
    throw error;
  }
  return toTaxRuleView(row);
}

export async function listTaxRules(db: Database, query: TaxRuleListQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, taxRuleCursorSchema) : undefined;
  const rows = await repo.listTaxRules(db, { country: query.country, after, limit: query.limit });
  return toPage(rows, query.limit, toTaxRuleView, (row) => ({ country: row.country, region: row.region, id: row.id }));
}

export async function updateTaxRule(
  db: Database,
  actor: Actor,
  id: string,
  patch: UpdateTaxRuleInput,
): Promise<TaxRuleView> {
  const before = await requireRule(db, id);
  await commitAudited(db, actor, { action: "tax.rule.updated", subject: id, details: { ...patch } }, [
    repo.updateTaxRule(db, id, patch),
  ]);
  return toTaxRuleView({ ...before, ...patch });
}

export async function deleteTaxRule(db: Database, actor: Actor, id: string): Promise<void> {
  const before = await requireRule(db, id);
  await commitAudited(
    db,
    actor,
    { action: "tax.rule.deleted", subject: id, details: { country: before.country, region: before.region } },
    [repo.deleteTaxRule(db, id)],
  );
}
