/**
 * The StockLock's write-through of its held units into D1 (`inventory_holds`, summed into
 * `inventory.reserved`), coalesced: at most one write in flight per object. A new hold is written
 * before its reserve answers (D1 never shows more stock than the lock has); the end of a hold waits
 * up to MIRROR_SETTLE_MS to share one write with that second's other changes. Runs after the
 * decision, never inside a critical section: docs/inventory.md, "The D1 mirror".
 */
import type { Database } from "../db/client";
import { writeShardMirror } from "../modules/inventory/inventory.repository";
import type { ReservationStore } from "./stock-lock.store";

/** How long the end of a hold may wait before D1 hears of it (D1 then under-states what is available, never over-states it). */
export const MIRROR_SETTLE_MS = 1_000;
/** After a failed write, the alarm tries again this much later (D1 is likely down: do not spin). */
const MIRROR_RETRY_MS = 10_000;

export class ReservedMirror {
  /** The newest change counter D1 holds (or that a skipped write would have written). */
  private written = 0;
  /** The units D1 holds, as far as this instance knows (unknown after a restart: the next write goes through). */
  private writtenUnits: number | undefined;
  /** When the alarm must write a deferred change; undefined while none waits. */
  private due: number | undefined;
  /** The trace of the latest deferred change: a failed deferred write is logged under it. */
  private deferredTrace: string | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: () => Database,
    private readonly store: ReservationStore,
  ) {}

  /** Resolves once D1 holds this object's count as of `version` or newer; one failed write rejects. */
  async flush(version: number): Promise<void> {
    while (this.written < version) {
      this.running ??= this.writeLatest().finally(() => {
        this.running = undefined;
      });
      await this.running;
    }
  }

  /** A change whose write may wait (the end of a hold): due within MIRROR_SETTLE_MS, with whatever else changes meanwhile. */
  defer(now: number, traceparent: string | undefined): void {
    this.due ??= now + MIRROR_SETTLE_MS;
    this.deferredTrace = traceparent ?? this.deferredTrace;
  }

  /** The trace a failed write of deferred changes is logged under (the latest change's caller). */
  traceOfDeferred(): string | undefined {
    return this.deferredTrace;
  }

  /** When the alarm must write the mirror, or null when nothing waits. */
  dueAt(): number | null {
    return this.written < this.store.version() ? (this.due ?? null) : null;
  }

  private async writeLatest(): Promise<void> {
    const sku = this.store.sku();
    if (!sku) return;
    const version = this.store.version();
    const units = this.store.reservedUnits();
    if (units !== this.writtenUnits) {
      try {
        await writeShardMirror(this.db(), sku, this.store.shard(), units, version);
      } catch (error) {
        this.due = Date.now() + MIRROR_RETRY_MS;
        throw error;
      }
      this.writtenUnits = units;
    }
    this.written = Math.max(this.written, version);
    if (this.written >= this.store.version()) {
      this.due = undefined;
      this.deferredTrace = undefined;
    } else if (this.due !== undefined) {
      // an end deferred while this write was in flight gets a window of its own, not the past due
      // time that started this write (that would write again at once, once per round trip)
      this.due = Date.now() + MIRROR_SETTLE_MS;
    }
  }

  /** The next write goes to D1 even if this instance believes D1 already holds its count (the sweep's repair). */
  forgetWritten(): void {
    this.writtenUnits = undefined;
  }
}
