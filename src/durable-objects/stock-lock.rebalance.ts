/**
 * Rebalancing between the shards of one SKU. A shard that runs dry borrows from its siblings: the
 * giver takes the units out of its own stock and records the transfer (once per transfer id) in
 * one synchronous stretch, then the borrower adds them (once per transfer id). Units are never
 * created: if the borrower dies between the two, the units are parked in the giver's record, not
 * sold twice, and the giver's alarm re-delivers them (`receive` is idempotent).
 *
 * Concurrent reserves on a dry shard share one borrowing round instead of each emptying a sibling.
 */
import type { Env } from "../env";
import { stockLockFor, type Placement } from "../modules/inventory/inventory.shards";
import { newId } from "../platform/ids";
import type { ReservationStore } from "./stock-lock.store";

export class StockPuller {
  private borrowing: Promise<number> | undefined;

  constructor(private readonly env: Pick<Env, "STOCK_LOCK">, private readonly store: ReservationStore) {}

  /** Borrows at least `need` units if the siblings have them (sharing one round among concurrent callers). */
  borrow(sku: string, place: Placement, need: number): Promise<number> {
    const siblings = Array.from({ length: place.shards - 1 }, (_, i) => (place.shard + 1 + i) % place.shards);
    this.borrowing ??= this.pull(sku, place.shard, siblings, Math.max(1, need), true).finally(() => {
      this.borrowing = undefined;
    });
    return this.borrowing;
  }

  /** Asks `from` shards in order until `want` units arrived; returns the units received. */
  async pull(sku: string, self: number, from: number[], want: number, share: boolean): Promise<number> {
    let received = 0;
    for (const shard of from) {
      if (shard === self || received >= want) continue;
      const transferId = newId("xfr");
      const units = await stockLockFor(this.env, sku, shard).give(sku, transferId, self, want - received, share, shard);
      if (units > 0) {
        this.store.receive(transferId, units, Date.now());
        received += units;
      }
    }
    return received;
  }

  /** Giver side: transfers the receiver may not have applied are sent again (the receiver dedupes). */
  async redeliver(): Promise<void> {
    const sku = this.store.sku();
    if (!sku) return;
    for (const transfer of this.store.undeliveredTransfers(Date.now())) {
      await stockLockFor(this.env, sku, transfer.toShard).receive(sku, transfer.id, transfer.units, transfer.toShard);
      this.store.markDelivered(transfer.id);
    }
  }
}
