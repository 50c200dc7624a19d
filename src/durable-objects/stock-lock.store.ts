/**
 * The StockLock's own storage (SQLite, synchronous API), the serialisation point of one stock shard:
 * `stock` (the units this shard may sell), one row per reservation id (kept after it ends as a
 * tombstone, so a late retry cannot double-count), the transfers between shards (each applied once
 * on each side) and the ledger cursor (home shard). Every method is synchronous on purpose: a
 * decision and its write cannot be split by another request, and they commit together.
 */
import { UNSHARDED, type ShardPlan } from "../modules/inventory/inventory.shards";

/**
 * `expiring`: past its expiry but still counted, until the alarm has asked D1 whether its order was
 * written (then it is committed) or not (then it is `expired` and its units are free again).
 */
export type ReservationStatus = "held" | "expiring" | "committed" | "released" | "expired";

/** How long a finished reservation is remembered (longer than any checkout retry window). */
export const TOMBSTONE_TTL_MS = 24 * 60 * 60 * 1000;
/** A transfer the receiver has not confirmed is re-delivered by the giver's alarm after this. */
export const TRANSFER_REDELIVERY_MS = 30_000;

export class ReservationStore {
  private readonly sql: SqlStorage;
  private readonly kv: SyncKvStorage;

  constructor(storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.kv = storage.kv;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS reservations (
      id TEXT PRIMARY KEY,
      quantity INTEGER NOT NULL,
      status TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS transfers_out (
      id TEXT PRIMARY KEY, to_shard INTEGER NOT NULL, units INTEGER NOT NULL, delivered INTEGER NOT NULL, created_at INTEGER NOT NULL
    )`);
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS transfers_in (id TEXT PRIMARY KEY, units INTEGER NOT NULL, created_at INTEGER NOT NULL)",
    );
  }

  sku(): string | undefined {
    return this.kv.get<string>("sku");
  }

  shard(): number {
    return this.kv.get<number>("shard") ?? 0;
  }

  remember(sku: string, shard: number): void {
    if (this.sku() !== sku) this.kv.put("sku", sku);
    if (this.shard() !== shard) this.kv.put("shard", shard);
  }

  /** The SKU's shard plan (kept by the home shard, which hands it to callers). */
  plan(): ShardPlan {
    return this.kv.get<ShardPlan>("plan") ?? UNSHARDED;
  }

  setPlan(plan: ShardPlan): void {
    this.kv.put("plan", plan);
  }

  /** Units this shard may sell; undefined until the home shard loaded on-hand from D1 once. */
  stock(): number | undefined {
    return this.kv.get<number>("stock");
  }

  setStock(units: number): void {
    this.kv.put("stock", units);
  }

  addStock(units: number): void {
    this.setStock((this.stock() ?? 0) + units);
  }

  ledgerCursor(): number {
    return this.kv.get<number>("ledgerSeq") ?? 0;
  }

  setLedgerCursor(seq: number): void {
    this.kv.put("ledgerSeq", seq);
  }

  /** Monotonic change counter, persisted so the D1 mirror accepts writes after a restart. */
  version(): number {
    return this.kv.get<number>("version") ?? 0;
  }

  bumpVersion(): number {
    const version = this.version() + 1;
    this.kv.put("version", version);
    return version;
  }

  reservation(id: string): { status: ReservationStatus; quantity: number } | undefined {
    return this.sql
      .exec<{ status: ReservationStatus; quantity: number }>(
        "SELECT status, quantity FROM reservations WHERE id = ?",
        id,
      )
      .toArray()[0];
  }

  reservedUnits(): number {
    return this.sql
      .exec<{ units: number }>(
        "SELECT COALESCE(SUM(quantity), 0) AS units FROM reservations WHERE status IN ('held', 'expiring')",
      )
      .one().units;
  }

  /** Units neither held nor gone: what a reserve (or a sibling) may take now. */
  freeUnits(): number {
    return (this.stock() ?? 0) - this.reservedUnits();
  }

  hold(id: string, quantity: number, expiresAt: number, now: number): void {
    this.sql.exec(
      `INSERT INTO reservations (id, quantity, status, expires_at, updated_at) VALUES (?, ?, 'held', ?, ?)
       ON CONFLICT (id) DO UPDATE SET quantity = excluded.quantity, status = 'held',
         expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
      id,
      quantity,
      expiresAt,
      now,
    );
  }

  /**
   * The order of this reservation was written in D1 (which lowered on_hand there): take its units
   * out of `stock` exactly once, whatever state the reservation was in (an expired or released
   * one was sold all the same). Returns whether this shard knew the id; an unknown id leaves a
   * `committed` tombstone with no units.
   */
  commit(id: string, now: number): boolean {
    const current = this.reservation(id);
    if (current?.status === "committed") return true;
    if (current) this.addStock(-current.quantity);
    this.tombstone(id, "committed", now);
    return current !== undefined;
  }

  /** Frees a held reservation; a released id stays released (a later reserve with it is refused). Returns whether the id was known. */
  release(id: string, now: number): boolean {
    const current = this.reservation(id);
    if (current?.status === "committed" || current?.status === "released") return true;
    this.tombstone(id, "released", now);
    return current !== undefined;
  }

  private tombstone(id: string, status: "committed" | "released", now: number): void {
    this.sql.exec(
      `INSERT INTO reservations (id, quantity, status, expires_at, updated_at) VALUES (?, 0, ?, 0, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
      id,
      status,
      now,
    );
  }

  /** Held reservations past their expiry become `expiring` (still counted); returns how many. */
  expireOverdue(now: number): number {
    return this.sql.exec(
      "UPDATE reservations SET status = 'expiring', updated_at = ? WHERE status = 'held' AND expires_at <= ?",
      now,
      now,
    ).rowsWritten;
  }

  expiringIds(): string[] {
    return this.sql
      .exec<{ id: string }>("SELECT id FROM reservations WHERE status = 'expiring'")
      .toArray()
      .map((row) => row.id);
  }

  /** Settles an `expiring` reservation (if it still is): sold → committed (units leave stock), else expired. */
  settle(id: string, sold: boolean, now: number): void {
    if (this.reservation(id)?.status !== "expiring") return;
    if (sold) this.commit(id, now);
    else this.sql.exec("UPDATE reservations SET status = 'expired', updated_at = ? WHERE id = ?", now, id);
  }

  /** Units already given under this transfer id, if any (a retried give answers the same). */
  given(transferId: string): number | undefined {
    return this.sql.exec<{ units: number }>("SELECT units FROM transfers_out WHERE id = ?", transferId).toArray()[0]
      ?.units;
  }

  /** Records units given to a sibling and takes them out of `stock`; call after `given` said no. */
  give(transferId: string, toShard: number, units: number, now: number): number {
    this.sql.exec(
      "INSERT INTO transfers_out (id, to_shard, units, delivered, created_at) VALUES (?, ?, ?, 0, ?)",
      transferId,
      toShard,
      units,
      now,
    );
    this.addStock(-units);
    return units;
  }

  /** Adds units received from a sibling, once per transfer id. */
  receive(transferId: string, units: number, now: number): void {
    if (this.sql.exec("SELECT 1 FROM transfers_in WHERE id = ?", transferId).toArray().length > 0) return;
    this.sql.exec("INSERT INTO transfers_in (id, units, created_at) VALUES (?, ?, ?)", transferId, units, now);
    this.addStock(units);
  }

  undeliveredTransfers(now: number): { id: string; toShard: number; units: number }[] {
    return this.sql
      .exec<{ id: string; to_shard: number; units: number }>(
        "SELECT id, to_shard, units FROM transfers_out WHERE delivered = 0 AND created_at <= ?",
        now - TRANSFER_REDELIVERY_MS,
      )
      .toArray()
      .map((row) => ({ id: row.id, toShard: row.to_shard, units: row.units }));
  }

  markDelivered(transferId: string): void {
    this.sql.exec("UPDATE transfers_out SET delivered = 1 WHERE id = ?", transferId);
  }

  purgeFinished(now: number): void {
    const before = now - TOMBSTONE_TTL_MS;
    this.sql.exec("DELETE FROM reservations WHERE status NOT IN ('held', 'expiring') AND updated_at <= ?", before);
    this.sql.exec("DELETE FROM transfers_out WHERE delivered = 1 AND created_at <= ?", before);
    this.sql.exec("DELETE FROM transfers_in WHERE created_at <= ?", before);
  }

  /** The alarm time: the earliest expiry (at once for one to settle), transfer re-delivery or tombstone purge. */
  nextWakeUp(): number | null {
    const reservations = this.sql
      .exec<{ next: number | null }>(
        "SELECT MIN(CASE status WHEN 'held' THEN expires_at WHEN 'expiring' THEN updated_at ELSE " +
          "updated_at + ? END) AS next FROM reservations",
        TOMBSTONE_TTL_MS,
      )
      .one().next;
    const transfers = this.sql
      .exec<{ next: number | null }>(
        "SELECT MIN(CASE WHEN delivered = 0 THEN created_at + ? ELSE created_at + ? END) AS next FROM transfers_out",
        TRANSFER_REDELIVERY_MS,
        TOMBSTONE_TTL_MS,
      )
      .one().next;
    const times = [reservations, transfers].filter((time): time is number => time !== null);
    return times.length === 0 ? null : Math.min(...times);
  }
}
