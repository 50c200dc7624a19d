/**
 * Stock lock Durable Object: one instance per stock shard of a SKU (one per SKU unless the SKU is
 * sharded, see src/modules/inventory/inventory.shards.ts). It serialises the shard's
 * reservations so nothing is sold twice.
 *
 * Why this is correct under concurrency: a Durable Object's input gate holds other calls only
 * while it awaits its OWN storage, not while it awaits D1 or another object. So every decision
 * is made from the object's own SQLite storage (its `stock` slice and its reservations) in one
 * synchronous stretch — no await between reading and writing — and the reserve, commit and
 * release paths read nothing from D1 (no `blockConcurrencyWhile` anywhere). D1 is only read once
 * in the home shard's life (its starting stock) and for ledger rows, both folded in by a
 * synchronous stretch that re-checks what it applies. See docs/inventory.md.
 */
import { DurableObject } from "cloudflare:workers";
import { createDatabase, type Database } from "../db/client";
import type { Env } from "../env";
import { readLedgerAfter, readStockOrigin, soldReservations } from "../modules/inventory/inventory.repository";
import { shardOf, type Placement, type ShardPlan } from "../modules/inventory/inventory.shards";
import { ReservedMirror } from "./stock-lock.mirror";
import { StockPuller } from "./stock-lock.rebalance";
import { ReservationStore } from "./stock-lock.store";

/** Plain objects (not unions): RPC stubs type unions of promises poorly. */
export interface ReserveOutcome {
  ok: boolean;
  /** Units still free on this shard after the call. */
  available: number;
  /** Set when refused because the id was released before: a released id stays released. */
  released?: boolean;
  /** The SKU's plan, when the caller did not know it (`shards: 0`) and asked the home shard. */
  plan?: ShardPlan;
  /** Nothing was done: under `plan` the reservation belongs to another shard. */
  redirect?: boolean;
}

export interface StockSnapshot {
  /** This shard's stock (for an unsharded SKU: on-hand as the lock counts it). */
  onHand: number;
  reserved: number;
  available: number;
}

/** Whether the shard knew the reservation id (if not, the caller looks on the other shards). */
export interface FinishOutcome {
  known: boolean;
  plan?: ShardPlan;
  redirect?: boolean;
}

const HOME: Placement = { shard: 0, shards: 1 };
/** A dry shard borrows at most this many rounds per reserve (each round gets units or ends the loop). */
const BORROW_ROUNDS = 8;

export class StockLock extends DurableObject<Env> {
  private readonly store: ReservationStore;
  private db: Database;
  private readonly mirror: ReservedMirror;
  private readonly puller: StockPuller;
  private loading: Promise<void> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ReservationStore(ctx.storage);
    this.db = createDatabase(env.DB);
    this.mirror = new ReservedMirror(() => this.db, this.store);
    this.puller = new StockPuller(env, this.store);
  }

  /** Holds `quantity` units for `reservationId` until `expiresAt`; a retry with the same id is a no-op. */
  async reserve(sku: string, reservationId: string, quantity: number, expiresAt: number, asked: Placement = HOME): Promise<ReserveOutcome> {
    const { place, plan } = this.resolve(reservationId, asked);
    if (place === undefined) return { ok: false, available: 0, plan, redirect: true };
    await this.ready(sku, place.shard);
    let outcome = this.tryHold(reservationId, quantity, expiresAt);
    for (let round = 0; !outcome.ok && !outcome.released && place.shards > 1 && round < BORROW_ROUNDS; round += 1) {
      // dry: take units from siblings (outside any critical section), then decide again from storage
      if ((await this.puller.borrow(sku, place, quantity - outcome.available)) === 0) break;
      outcome = this.tryHold(reservationId, quantity, expiresAt);
    }
    if (outcome.ok) await this.afterChange();
    return plan ? { ...outcome, plan } : outcome;
  }

  /** Frees a held reservation at once (failed, declined or abandoned checkout). Idempotent; the id stays released. */
  async release(sku: string, reservationId: string, asked: Placement = HOME): Promise<FinishOutcome> {
    return this.finish(sku, reservationId, asked, "release");
  }

  /**
   * The order of this reservation was written (its D1 batch lowered on_hand): the units leave this
   * shard's stock exactly once, keyed by the reservation id. Pure local storage, no D1 read.
   */
  async commit(sku: string, reservationId: string, asked: Placement = HOME): Promise<FinishOutcome> {
    return this.finish(sku, reservationId, asked, "commit");
  }

  private async finish(sku: string, reservationId: string, asked: Placement, how: "commit" | "release"): Promise<FinishOutcome> {
    const { place, plan } = this.resolve(reservationId, asked);
    if (place === undefined) return { known: false, plan, redirect: true };
    await this.ready(sku, place.shard);
    const now = Date.now();
    this.expire(now);
    const known = how === "commit" ? this.store.commit(reservationId, now) : this.store.release(reservationId, now);
    await this.afterChange();
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
    if (debt > 0 && shards > 1) await this.puller.pull(sku, 0, Array.from({ length: shards - 1 }, (_, i) => i + 1), debt, false);
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
  async give(sku: string, transferId: string, toShard: number, need: number, share: boolean, fromShard: number): Promise<number> {
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
  async sweep(sku: string): Promise<number> {
    this.store.remember(sku, this.store.shard());
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

  /**
   * Asks D1 (outside any critical section; only the alarm and the sweep do this) which expiring
   * holds were sold, then settles them in one synchronous stretch: sold → committed, else freed.
   * A checkout that writes its order after this still commits, and its commit takes the units.
   */
  private async settleExpiring(sku: string): Promise<void> {
    const ids = this.store.expiringIds();
    if (ids.length === 0) return;
    const sold = await soldReservations(this.db, sku, ids);
    const now = Date.now();
    for (const id of ids) this.store.settle(id, sold.has(id), now);
  }

  private async housekeeping(sku: string): Promise<void> {
    this.expire(Date.now());
    await this.settleExpiring(sku);
    await this.puller.redeliver();
    const version = this.store.bumpVersion();
    await this.scheduleAlarm();
    await this.mirror.flush(version);
  }

  /**
   * A caller that does not know the plan (`shards: 0`) asks the home shard: the home answers with
   * the plan, and handles the call itself when the reservation belongs to it (always, unsharded).
   */
  private resolve(reservationId: string, asked: Placement): { place?: Placement; plan?: ShardPlan } {
    if (asked.shards !== 0) return { place: asked };
    const plan = this.store.plan();
    const shard = shardOf(reservationId, plan.shards);
    return shard === 0 ? { place: { shard: 0, shards: plan.shards }, plan } : { plan };
  }

  /** Remembers who this object is and makes sure its stock is known (home: loaded from D1 once in its life). */
  private async ready(sku: string, shard: number): Promise<void> {
    this.store.remember(sku, shard);
    if (this.store.stock() !== undefined) return;
    if (shard !== 0) {
      this.store.setStock(0); // a new shard starts empty and borrows from its siblings
      return;
    }
    this.loading ??= readStockOrigin(this.db, sku)
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

  /** The decision of a reserve: one synchronous stretch over the object's own storage. */
  private tryHold(reservationId: string, quantity: number, expiresAt: number): ReserveOutcome {
    const now = Date.now();
    this.expire(now);
    const existing = this.store.reservation(reservationId)?.status;
    const free = this.store.freeUnits();
    const available = Math.max(0, free);
    if (existing === "held" || existing === "committed") return { ok: true, available };
    // an expiring hold of a live checkout is held again: it is still counted, so take it out first
    if (existing === "expiring") return this.holdAgain(reservationId, quantity, expiresAt, now);
    if (existing === "released") return { ok: false, available, released: true };
    if (free < quantity) return { ok: false, available };
    this.store.hold(reservationId, quantity, expiresAt, now);
    return { ok: true, available: free - quantity };
  }

  private holdAgain(reservationId: string, quantity: number, expiresAt: number, now: number): ReserveOutcome {
    this.store.hold(reservationId, quantity, expiresAt, now);
    return { ok: true, available: Math.max(0, this.store.freeUnits()) };
  }

  /** Reschedules the alarm and writes the held count through to D1 (after the decision, coalesced). */
  private async afterChange(): Promise<void> {
    const version = this.store.bumpVersion();
    await this.scheduleAlarm();
    try {
      await this.mirror.flush(version);
    } catch (error) {
      // The reservation itself stands; the mirror is repaired by the next change, alarm or sweep.
      console.error(JSON.stringify({ level: "error", msg: "reserved mirror write failed", sku: this.store.sku(), error: String(error) }));
    }
  }

  private async scheduleAlarm(): Promise<void> {
    const next = this.store.nextWakeUp();
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }
}
