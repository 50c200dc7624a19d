/**
 * The StockLock's write-through of its held units into D1 (`inventory_holds`, summed into
 * `inventory.reserved`), coalesced: at most one write is in flight per object, and every caller
 * waits for a write that includes its change. Under a flash sale, hundreds of reservations a
 * second share a handful of D1 writes instead of queueing one each behind D1's single writer.
 * Runs after the decision, never inside a critical section.
 */
import type { Database } from "../db/client";
import { writeShardMirror } from "../modules/inventory/inventory.repository";
import type { ReservationStore } from "./stock-lock.store";

export class ReservedMirror {
  private written = 0;
  private running: Promise<void> | undefined;

  constructor(private readonly db: () => Database, private readonly store: ReservationStore) {}

  /** Resolves once D1 holds this object's count as of `version` or newer; one failed write rejects. */
  async flush(version: number): Promise<void> {
    while (this.written < version) {
      this.running ??= this.writeLatest().finally(() => {
        this.running = undefined;
      });
      await this.running;
    }
  }

  private async writeLatest(): Promise<void> {
    const sku = this.store.sku();
    if (!sku) return;
    const version = this.store.version();
    await writeShardMirror(this.db(), sku, this.store.shard(), this.store.reservedUnits(), version);
    this.written = Math.max(this.written, version);
  }
}
