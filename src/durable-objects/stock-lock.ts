/**
 * Stock lock Durable Object: one instance per stock shard of a SKU (inventory.shards.ts). It
 * serialises the shard's reservations so nothing is sold twice: every decision is made from the
 * object's own storage in one synchronous stretch, and reserve, commit and release read nothing from
 * D1. Why that is correct under concurrency: docs/inventory.md, "Why it cannot oversell".
 */
import { DurableObject } from "cloudflare:workers";
import { createDatabase, type Database } from "../db/client";
import type { Env } from "../env";
import { readLedgerAfter } from "../modules/inventory/inventory.repository";
import type { Placement, ShardPlan } from "../modules/inventory/inventory.shards";
import { log } from "../platform/observability/log";
import { continueTrace, runInTrace } from "../platform/observability/trace";
import {
  decideReserve,
  resolvePlacement,
  type FinishOutcome,
  type ReserveOutcome,
  type StockSnapshot,
} from "./stock-lock.decisions";
import { ReservedMirror } from "./stock-lock.mirror";
import { StockLockReads } from "./stock-lock.reads";
import { StockPuller } from "./stock-lock.rebalance";
import { ReservationStore } from "./stock-lock.store";

export type { FinishOutcome, ReserveOutcome, StockSnapshot } from "./stock-lock.decisions";

const HOME: Placement = { shard: 0, shards: 1 };
/** A dry shard borrows at most this many rounds per reserve (each round gets units or ends the loop). */
const BORROW_ROUNDS = 8;

export class StockLock extends DurableObject<Env> {
  private readonly store: ReservationStore;
  private db: Database;
  private readonly mirror: ReservedMirror;
  private readonly puller: StockPuller;
  private readonly reads: StockLockReads;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ReservationStore(ctx.storage);
    this.db = createDatabase(env.DB);
    this.mirror = new ReservedMirror(() => this.db, this.store);
    this.puller = new StockPuller(env, this.store);
    this.reads = new StockLockReads(() => this.db, this.store);
  }

  /**
   * Holds `quantity` units for `reservationId` until `expiresAt`; a retry with the same id is a no-op.
   * `traceparent` (here and on release/commit, whose mirror writes can fail and log): the caller's
   * trace, which this object's log lines continue — JS RPC carries no headers. A commit's or
   * release's write waits for the alarm, which logs a failure under the latest such caller's trace.
   */
  async reserve(
    sku: string,
    reservationId: string,
    quantity: number,
    expiresAt: number,
    asked: Placement = HOME,
    traceparent?: string,
  ): Promise<ReserveOutcome> {
    const { place, plan } = resolvePlacement(this.store, reservationId, asked);
    if (place === undefined) return { ok: false, available: 0, plan, redirect: true };
    await this.ready(sku, place.shard);
    let outcome = this.decide(reservationId, quantity, expiresAt);
    for (let round = 0; !outcome.ok && !outcome.released && place.shards > 1 && round < BORROW_ROUNDS; round += 1) {
      // dry: take units from siblings (outside any critical section), then decide again from storage
      if ((await this.puller.borrow(sku, place, quantity - outcome.available)) === 0) break;
      outcome = this.decide(reservationId, quantity, expiresAt);
    }
    if (outcome.ok) await this.afterChange(traceparent);
    return plan ? { ...outcome, plan } : outcome;
  }

  /** Frees a held reservation at once (failed, declined or abandoned checkout). Idempotent; the id stays released. */
  async release(
    sku: string,
    reservationId: string,
    asked: Placement = HOME,
    traceparent?: string,
  ): Promise<FinishOutcome> {
    return this.finish(sku, reservationId, asked, "release", traceparent);
  }

  /**
   * The order of this reservation was written (its D1 batch lowered on_hand): the units leave this
   * shard's stock exactly once, keyed by the reservation id. Pure local storage, no D1 read.
   */
  async commit(
    sku: string,
    reservationId: string,
    asked: Placement = HOME,
    traceparent?: string,
  ): Promise<FinishOutcome> {
    return this.finish(sku, reservationId, asked, "commit", traceparent);
  }

  private async finish(
    sku: string,
    reservationId: string,
    asked: Placement,
    how: "commit" | "release",
    traceparent: string | undefined,
  ): Promise<FinishOutcome> {
    const { place, plan } = resolvePlacement(this.store, reservationId, asked);
    if (place === undefined) return { known: false, plan, redirect: true };
    await this.ready(sku, place.shard);
    const now = Date.now();
    this.expire(now);
    const known = how === "commit" ? this.store.commit(reservationId, now) : this.store.release(reservationId, now);
    // the end of a hold only lowers `reserved`: its mirror write waits for the alarm (stock-lock.mirror.ts)
    await this.afterChange(traceparent, "settle");
    // a retired shard (past the current K) only finishes its holds: what they free goes home
    if (place.shards > 0 && place.shard >= place.shards && place.shard > 0) await this.puller.sendHome(sku);
    return plan ? { known, plan } : { known };
  }

  /** Home shard: records the SKU's shard plan (the admin route wrote it to D1 first). */
  async setPlan(sku: string, plan: ShardPlan): Promise<void> {
    await this.ready(sku, 0);
    this.store.setPlan(plan);
  }

  /** On-hand changed in D1 outside a checkout: fold the new ledger rows into the home shard's stock. */
  async syncOnHand(sku: string): Promise<StockSnapshot> {
    await this.ready(sku, 0);
    const rows = await readLedgerAfter(this.db, sku, this.store.ledgerCursor());
    // ---- one synchronous stretch: a concurrent sync may have applied some rows meanwhile ----
    for (const row of rows) {
      if (row.seq <= this.store.ledgerCursor()) continue;
      this.store.addStock(row.delta);
      this.store.setLedgerCursor(row.seq);
    }
    // on-hand went down below what this shard holds: take the difference back from the siblings
    const { shards } = this.store.plan();
    const debt = -this.store.freeUnits();
    if (debt > 0 && shards > 1)
      await this.puller.pull(
        sku,
        0,
        Array.from({ length: shards - 1 }, (_, i) => i + 1),
        debt,
        false,
      );
    return this.snapshot(sku);
  }

  async snapshot(sku: string, place: Placement = HOME): Promise<StockSnapshot> {
    await this.ready(sku, place.shard);
    this.expire(Date.now());
    const onHand = this.store.stock() ?? 0;
    const reserved = this.store.reservedUnits();
    return { onHand, reserved, available: Math.max(0, onHand - reserved) };
  }

  /** Home shard: its own snapshot and the SKU's plan, so an unsharded SKU's totals cost one call. */
  async overview(sku: string): Promise<StockSnapshot & { plan: ShardPlan }> {
    return { ...(await this.snapshot(sku)), plan: this.store.plan() };
  }

  /** Units reserved and not yet committed or released. */
  async reserved(): Promise<number> {
    this.expire(Date.now());
    return this.store.reservedUnits();
  }

  /** A sibling asks for units (rebalancing or a shard-plan change); answers what it gives, once per transfer id. */
  async give(
    sku: string,
    transferId: string,
    toShard: number,
    need: number,
    share: boolean,
    fromShard: number,
  ): Promise<number> {
    await this.ready(sku, fromShard);
    const already = this.store.given(transferId);
    if (already !== undefined) return already;
    const now = Date.now();
    this.expire(now);
    const free = Math.max(0, this.store.freeUnits());
    // rebalancing takes half of what the sibling has spare, so a hot shard does not come back at once
    const units = Math.min(free, share ? Math.max(need, Math.ceil(free / 2)) : need);
    if (units <= 0) return 0;
    this.store.give(transferId, toShard, units, now);
    await this.scheduleAlarm();
    return units;
  }

  /** Units from a sibling, added once per transfer id (the giver re-delivers until it is sure). */
  async receive(sku: string, transferId: string, units: number, shard: number): Promise<void> {
    await this.ready(sku, shard);
    this.store.receive(transferId, units, Date.now());
  }

  /** Pulls up to `want` units from the named sibling shards (admin redistribution). Returns what arrived. */
  async collect(sku: string, from: number[], want: number, place: Placement): Promise<number> {
    await this.ready(sku, place.shard);
    return this.puller.pull(sku, place.shard, from, want, false);
  }

  /** The cron's safety net: settles what is overdue, re-delivers transfers and rewrites the D1 mirror. */
  async sweep(sku: string, shard = this.store.shard()): Promise<number> {
    this.store.remember(sku, shard);
    this.mirror.forgetWritten();
    await this.housekeeping(sku);
    return this.store.reservedUnits();
  }

  /** Fires at the earliest expiry or transfer re-delivery; alarms are retried, and doing it twice changes nothing. */
  override async alarm(): Promise<void> {
    const sku = this.store.sku();
    if (!sku) return;
    this.store.purgeFinished(Date.now());
    await this.housekeeping(sku);
  }

  /** Overdue holds stop being held only once D1 said whether their order was written; the alarm comes at once. */
  private expire(now: number): void {
    if (this.store.expireOverdue(now) > 0) void this.ctx.storage.setAlarm(now);
  }

  private async housekeeping(sku: string): Promise<void> {
    this.expire(Date.now());
    await this.reads.settleExpiring(sku);
    await this.puller.redeliver();
    const version = this.store.bumpVersion();
    try {
      await this.mirror.flush(version);
    } catch (error) {
      // logged under the trace of the change it was carrying (a commit's or release's caller); the alarm retries
      this.mirrorFailed(error, this.mirror.traceOfDeferred());
      throw error;
    } finally {
      // after the write, so a write that caught up does not leave its due time behind as an alarm
      await this.scheduleAlarm();
    }
  }

  private ready(sku: string, shard: number): Promise<void> {
    return this.reads.ready(sku, shard);
  }

  /** Settles what is overdue, then decides from storage (one synchronous stretch). */
  private decide(reservationId: string, quantity: number, expiresAt: number): ReserveOutcome {
    const now = Date.now();
    this.expire(now);
    return decideReserve(this.store, reservationId, quantity, expiresAt, now);
  }

  /**
   * Reschedules the alarm and writes the held count through to D1 (after the decision, coalesced);
   * `settle`: the change only lowers what is held, so the alarm writes it within a second instead.
   */
  private async afterChange(traceparent: string | undefined, mirror: "now" | "settle" = "now"): Promise<void> {
    const version = this.store.bumpVersion();
    if (mirror === "settle") {
      this.mirror.defer(Date.now(), traceparent);
      await this.scheduleAlarm();
      return;
    }
    await this.scheduleAlarm();
    try {
      await this.mirror.flush(version);
    } catch (error) {
      // The reservation itself stands; the mirror is repaired by the alarm's retry, the next change or the sweep.
      this.mirrorFailed(error, traceparent);
      await this.scheduleAlarm();
    }
  }

  private mirrorFailed(error: unknown, traceparent: string | undefined): void {
    runInTrace(continueTrace(traceparent), () =>
      log.error("reserved mirror write failed", { sku: this.store.sku(), error }),
    );
  }

  /** The earliest of: an expiry or a transfer to re-deliver (the store), a deferred mirror write. */
  private async scheduleAlarm(): Promise<void> {
    const candidates = [this.store.nextWakeUp(), this.mirror.dueAt()].filter((at): at is number => at !== null);
    const next = candidates.length > 0 ? Math.min(...candidates) : null;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }
}
