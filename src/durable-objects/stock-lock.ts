/**
 * Stock lock Durable Object: one instance per SKU serialises its reservations, so nothing is
 * sold twice. D1 holds on-hand stock (the truth); this object holds what is reserved but not yet
 * committed or released, in its own SQLite storage.
 *
 * Why this is correct under concurrency: a Durable Object's input gate only holds other calls
 * while it awaits its OWN storage, not while it awaits D1. So every decision here is made from
 * state the object already holds (the on-hand copy in memory, the reservations in storage) in
 * one synchronous stretch of code — no await between reading and writing. The on-hand copy is
 * (re)loaded from D1 only inside `blockConcurrencyWhile`, which does hold every other call.
 * See docs/inventory.md.
 */
import { DurableObject } from "cloudflare:workers";
import { createDatabase, type Database } from "../db/client";
import type { Env } from "../env";
import { readOnHand, writeReservedMirror } from "../modules/inventory/inventory.repository";
import { ReservationStore } from "./stock-lock.store";
import { log } from "../platform/observability/log";
import { continueTrace, runInTrace } from "../platform/observability/trace";

/** A plain object (not a union): RPC stubs type unions of promises poorly. */
export interface ReserveOutcome {
  ok: boolean;
  /** Units still free after the call. */
  available: number;
}

export interface StockSnapshot {
  onHand: number;
  reserved: number;
  available: number;
}

export class StockLock extends DurableObject<Env> {
  private readonly store: ReservationStore;
  private readonly db: Database;
  /** The on-hand copy; undefined until loaded from D1 (again after every restart, so it self-heals). */
  private onHand: number | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ReservationStore(ctx.storage);
    this.db = createDatabase(env.DB);
  }

  /**
   * Holds `quantity` units for `reservationId` until `expiresAt`; a retry with the same id is a no-op.
   * `traceparent` (here and on release/commit): the caller's trace, which this object's log lines continue.
   */
  async reserve(sku: string, reservationId: string, quantity: number, expiresAt: number, traceparent?: string): Promise<ReserveOutcome> {
    await this.expireOverdue(sku);
    const onHand = await this.load(sku);
    // ---- one synchronous stretch: decide and write with nothing else interleaving ----
    const existing = this.store.status(reservationId);
    const available = Math.max(0, onHand - this.store.reservedUnits());
    if (existing === "held" || existing === "committed") return { ok: true, available };
    if (available < quantity) return { ok: false, available };
    this.store.hold(reservationId, quantity, expiresAt, Date.now());
    // ---- end of the critical section ----
    await this.afterChange(sku, { traceparent });
    return { ok: true, available: available - quantity };
  }

  /** Frees a held reservation at once (failed, declined or abandoned checkout). Idempotent. */
  async release(sku: string, reservationId: string, traceparent?: string): Promise<void> {
    this.remember(sku);
    if (this.store.finish(reservationId, "released", Date.now())) await this.afterChange(sku, { traceparent });
  }

  /**
   * A paid order: called after the order batch lowered `on_hand` in D1. Re-reading on-hand and
   * dropping the reservation happen together under blockConcurrencyWhile, so no reservation can
   * see the units twice (neither "still reserved and already sold" nor "freed but not sold").
   */
  async commit(sku: string, reservationId: string, traceparent?: string): Promise<void> {
    this.remember(sku);
    await this.serialised(async () => {
      this.onHand = await readOnHand(this.db, sku);
      this.store.finish(reservationId, "committed", Date.now());
    });
    await this.afterChange(sku, { traceparent });
  }

  /** An admin (or a cancelled order) changed on-hand in D1: reload the copy. */
  async syncOnHand(sku: string): Promise<StockSnapshot> {
    this.onHand = undefined;
    await this.load(sku);
    return this.snapshot(sku);
  }

  async snapshot(sku: string): Promise<StockSnapshot> {
    await this.expireOverdue(sku);
    const onHand = await this.load(sku);
    const reserved = this.store.reservedUnits();
    return { onHand, reserved, available: Math.max(0, onHand - reserved) };
  }

  /** Units reserved and not yet committed or released. */
  async reserved(): Promise<number> {
    const sku = this.store.sku();
    if (sku) await this.expireOverdue(sku);
    return this.store.reservedUnits();
  }

  /** The cron's safety net: expires what is overdue and rewrites the D1 mirror. */
  async sweep(sku: string): Promise<number> {
    await this.expireOverdue(sku);
    await this.afterChange(sku, { throwOnMirrorFailure: true });
    return this.store.reservedUnits();
  }

  /** Fires at the earliest expiry; alarms are retried, and expiring twice changes nothing. */
  override async alarm(): Promise<void> {
    const sku = this.store.sku();
    if (!sku) return;
    await this.expireOverdue(sku);
    this.store.purgeFinished(Date.now());
    await this.afterChange(sku, { throwOnMirrorFailure: true });
  }

  private remember(sku: string): void {
    this.store.rememberSku(sku);
  }

  /**
   * Stops counting overdue reservations. When one expires, on-hand is re-read from D1: its
   * checkout may have written the order (lowering on_hand) and died before committing, and the
   * freed units must not become sellable again from a stale copy.
   */
  private async expireOverdue(sku: string): Promise<void> {
    this.remember(sku);
    if (this.store.expireOverdue(Date.now()) === 0) return;
    // forgetting the copy first means a failed re-read is retried by the next call, never skipped
    this.onHand = undefined;
    await this.load(sku);
  }

  private async load(sku: string): Promise<number> {
    this.remember(sku);
    if (this.onHand === undefined) {
      await this.serialised(async () => {
        this.onHand ??= await readOnHand(this.db, sku);
      });
    }
    return this.onHand ?? 0;
  }

  /**
   * blockConcurrencyWhile resets the object if its callback throws; a D1 hiccup must only fail
   * this call, so the error is carried out of the callback and rethrown here.
   */
  private async serialised(work: () => Promise<void>): Promise<void> {
    let failure: unknown;
    await this.ctx.blockConcurrencyWhile(async () => {
      try {
        await work();
      } catch (error) {
        failure = error;
      }
    });
    if (failure !== undefined) throw failure;
  }

  /** Reschedules the alarm and writes the reserved count through to D1 (versioned, see schema). */
  private async afterChange(sku: string, options: { throwOnMirrorFailure?: boolean; traceparent?: string | undefined } = {}): Promise<void> {
    const version = this.store.nextVersion();
    const reserved = this.store.reservedUnits();
    const next = this.store.nextWakeUp();
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
    try {
      await writeReservedMirror(this.db, sku, reserved, version);
    } catch (error) {
      // The reservation itself stands; the mirror is repaired by the next change, alarm or sweep.
      runInTrace(continueTrace(options.traceparent), () => log.error("reserved mirror write failed", { sku, error }));
      if (options.throwOnMirrorFailure) throw error;
    }
  }
}
