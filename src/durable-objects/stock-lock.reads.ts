/**
 * The StockLock's two reads of D1 besides the ledger, both outside any decision and applied in a
 * synchronous stretch that re-checks what it applies:
 *   - the home shard's starting stock, loaded once in its life (concurrent callers share it);
 *   - which `expiring` holds were sold (their order batch wrote a `stock_sales` row), for the alarm
 *     and the sweep only — never on the reserve, commit or release path.
 */
import type { Database } from "../db/client";
import { readStockOrigin, soldReservations } from "../modules/inventory/inventory.repository";
import type { ReservationStore } from "./stock-lock.store";

export class StockLockReads {
  private loading: Promise<void> | undefined;

  constructor(
    private readonly db: () => Database,
    private readonly store: ReservationStore,
  ) {}

  /** Remembers who this object is and makes sure its stock is known (home: loaded from D1 once in its life). */
  async ready(sku: string, shard: number): Promise<void> {
    this.store.remember(sku, shard);
    if (this.store.stock() !== undefined) return;
    if (shard !== 0) {
      this.store.setStock(0); // a new shard starts empty and borrows from its siblings
      return;
    }
    this.loading ??= readStockOrigin(this.db(), sku)
      .then((origin) => {
        // the first answer wins; nothing else sets the home stock before it is loaded
        if (this.store.stock() !== undefined) return;
        this.store.setStock(origin.onHand);
        this.store.setLedgerCursor(origin.ledgerSeq);
      })
      .finally(() => {
        this.loading = undefined;
      });
    await this.loading;
  }

  /**
   * Settles the expiring holds: sold → committed (the units leave the stock), else freed. A
   * checkout that writes its order after this still commits, and its commit takes the units.
   */
  async settleExpiring(sku: string): Promise<void> {
    const ids = this.store.expiringIds();
    if (ids.length === 0) return;
    const sold = await soldReservations(this.db(), sku, ids);
    const now = Date.now();
    for (const id of ids) this.store.settle(id, sold.has(id), now);
  }
}
