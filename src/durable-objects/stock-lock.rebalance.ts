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
  /** Units still missing, summed over the reserves waiting for the next borrowing round. */
  private demand = 0;

  constructor(
    private readonly env: Pick<Env, "STOCK_LOCK">,
    private readonly store: ReservationStore,
  ) {}

  /**
   * Borrows what the reserves waiting on this shard are missing, if the siblings have it. Callers
   * that arrive in the same turn share one round; those arriving during a round wait for it,
   * look again, and add their shortfall to the next.
   */
  borrow(sku: string, place: Placement, need: number): Promise<number> {
    this.demand += Math.max(1, need);
    this.borrowing ??= Promise.resolve()
      .then(() => {
        const want = this.demand;
        this.demand = 0;
        const siblings = Array.from({ length: place.shards - 1 }, (_, i) => (place.shard + 1 + i) % place.shards);
        return this.pull(sku, place.shard, siblings, want, true);
      })
      .finally(() => {
        this.borrowing = undefined;
      });
    return this.borrowing;
  }

  /** A retired shard (past the current K) sends its free units home once its holds end. */
  async sendHome(sku: string): Promise<void> {
    const free = this.store.freeUnits();
    if (free <= 0) return;
    const transferId = newId("xfr");
    this.store.give(transferId, 0, free, Date.now());
    await stockLockFor(this.env, sku, 0).receive(sku, transferId, free, 0);
    this.store.markDelivered(transferId);
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
