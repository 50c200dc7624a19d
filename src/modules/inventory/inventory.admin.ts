/**
 * Staff stock management: read a SKU's stock level, set its on-hand. Setting writes D1 (with its
 * stock-ledger row), the audit row and an `inventory.changed` event in one batch, then the SKU's
 * home lock folds the ledger row in.
 * No HTTP here.
 */
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { auditInsert, type AuditOrigin } from "../audit/audit.service";
import { newEvent, outboxInsert } from "../jobs/outbox";
import { DependencyError, NotFoundError } from "../../platform/errors";
import type { ServerTimings } from "../../platform/timing";
import { findInventory, ledgerForSet, upsertOnHand, variantExists } from "./inventory.repository";
import type { StockLevel } from "./inventory.schemas";
import { refreshOnHand, stockSnapshot } from "./inventory.service";

type Bindings = Pick<Env, "STOCK_LOCK">;

export async function stockLevel(
  db: Database,
  env: Bindings,
  sku: string,
  timings?: ServerTimings,
): Promise<StockLevel> {
  const [row] = await findInventory(db, [sku]);
  if (!row && !(await variantExists(db, sku))) throw new NotFoundError({ detail: `No SKU ${sku}` });
  const onHand = row?.onHand ?? 0;
  // the lock, not the mirror, is authoritative for what is held right now
  const { reserved } = await stockSnapshot(env, sku, timings);
  return { sku, onHand, reserved, available: Math.max(0, onHand - reserved) };
}

export interface SetOnHandCommand {
  sku: string;
  onHand: number;
  actorId: string | null;
  origin: AuditOrigin;
}

export async function setOnHand(
  db: Database,
  env: Bindings,
  command: SetOnHandCommand,
  timings?: ServerTimings,
): Promise<StockLevel> {
  const { sku, onHand } = command;
  const [before] = await findInventory(db, [sku]);
  if (!before && !(await variantExists(db, sku))) throw new NotFoundError({ detail: `No SKU ${sku}` });
  const previousOnHand = before?.onHand ?? 0;
  const now = Date.now();
  await db.batch([
    ledgerForSet(db, sku, onHand, "admin_set", now),
    upsertOnHand(db, sku, onHand, now),
    auditInsert(db, command.origin, {
      action: "inventory.set_on_hand",
      actorId: command.actorId,
      subject: sku,
      details: { previousOnHand, onHand },
    }),
    outboxInsert(db, newEvent("inventory.changed", { sku, previousOnHand, onHand })),
  ]);
  try {
    await refreshOnHand(env, [sku], timings);
    const { reserved } = await stockSnapshot(env, sku, timings);
    return { sku, onHand, reserved, available: Math.max(0, onHand - reserved) };
  } catch (error) {
    // D1 already holds the new value (the truth); the lock reloads it on its next restart or retry
    throw new DependencyError({
      detail: "Stock was saved but the stock lock did not confirm; repeat the request",
      cause: error,
    });
  }
}
