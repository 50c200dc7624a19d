/**
 * Admins split a hot SKU across K StockLock shards. D1 records the plan (with an audit row) in
 * one batch; the home shard keeps the copy that callers are handed; then the free stock is
 * spread: retired shards (K … span−1) send theirs home, and each shard 1 … K−1 takes its even
 * share from the home. Units only move by transfers (taken out on one side, added once on the
 * other), so redistribution can leave units parked but never sells one twice. Repeating the PUT
 * is safe. No HTTP here.
 */
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { auditInsert, type AuditOrigin } from "../audit/audit.service";
import { NotFoundError } from "../../platform/errors";
import type { ServerTimings } from "../../platform/timing";
import { timeDo } from "./inventory.locks";
import { setShardsStatement, variantExists } from "./inventory.repository";
import type { ShardPlanView } from "./inventory.schemas";
import { MAX_ON_HAND } from "./inventory.schemas";
import { rememberPlan, stockLockFor } from "./inventory.shards";

type Bindings = Pick<Env, "STOCK_LOCK">;

export interface SetShardsCommand {
  sku: string;
  shards: number;
  actorId: string | null;
  origin: AuditOrigin;
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

export async function setShardPlan(
  db: Database,
  env: Bindings,
  command: SetShardsCommand,
  timings?: ServerTimings,
): Promise<ShardPlanView> {
  const { sku, shards } = command;
  if (!(await variantExists(db, sku))) throw new NotFoundError({ detail: `No SKU ${sku}` });
  const [[plan]] = await db.batch([
    setShardsStatement(db, sku, shards, Date.now()),
    auditInsert(db, command.origin, {
      action: "inventory.set_shards",
      actorId: command.actorId,
      subject: sku,
      details: { shards },
    }),
  ]);
  const { span } = plan ?? { span: shards };
  const home = stockLockFor(env, sku);
  await timeDo(timings, () => home.setPlan(sku, { shards, span }));
  rememberPlan(sku, { shards, span });
  const homePlace = { shard: 0, shards };
  await timeDo(timings, () => home.collect(sku, range(shards, span), MAX_ON_HAND, homePlace));
  const { available } = await timeDo(timings, () => home.snapshot(sku));
  const share = Math.floor(available / shards);
  await Promise.all(
    range(1, shards).map((shard) =>
      timeDo(timings, () => stockLockFor(env, sku, shard).collect(sku, [0], share, { shard, shards })),
    ),
  );
  const levels = await Promise.all(
    range(0, span).map((shard) =>
      timeDo(timings, () => stockLockFor(env, sku, shard).snapshot(sku, { shard, shards })),
    ),
  );
  return {
    sku,
    shards,
    span,
    stock: levels.map((level, shard) => ({
      shard,
      stock: level.onHand,
      reserved: level.reserved,
      available: level.available,
    })),
  };
}
