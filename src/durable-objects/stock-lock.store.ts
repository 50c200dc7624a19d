/**
 * The StockLock's own storage (SQLite, synchronous API): one row per reservation id, kept after
 * it ends as a tombstone for a day so a late retry of reserve/commit/release cannot double-count.
 * Every method is synchronous on purpose: the caller's decision and its write cannot be split by
 * another request.
 */
export type ReservationStatus = "held" | "committed" | "released" | "expired";

/** How long a finished reservation is remembered (longer than any checkout retry window). */
export const TOMBSTONE_TTL_MS = 24 * 60 * 60 * 1000;

export class ReservationStore {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS reservations (
      id TEXT PRIMARY KEY,
      quantity INTEGER NOT NULL,
      status TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
  }

  sku(): string | undefined {
    return this.storage.kv.get<string>("sku");
  }

  rememberSku(sku: string): void {
    if (this.sku() !== sku) this.storage.kv.put("sku", sku);
  }

  /** Monotonic change counter, persisted so the D1 mirror accepts writes after a restart. */
  nextVersion(): number {
    const version = (this.storage.kv.get<number>("version") ?? 0) + 1;
    this.storage.kv.put("version", version);
    return version;
  }

  status(id: string): ReservationStatus | undefined {
    return this.sql.exec<{ status: ReservationStatus }>("SELECT status FROM reservations WHERE id = ?", id).toArray()[0]?.status;
  }

  reservedUnits(): number {
    return this.sql.exec<{ units: number }>("SELECT COALESCE(SUM(quantity), 0) AS units FROM reservations WHERE status = 'held'").one().units;
  }

  hold(id: string, quantity: number, expiresAt: number, now: number): void {
    this.sql.exec(
      `INSERT INTO reservations (id, quantity, status, expires_at, updated_at) VALUES (?, ?, 'held', ?, ?)
       ON CONFLICT (id) DO UPDATE SET quantity = excluded.quantity, status = 'held', expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
      id, quantity, expiresAt, now,
    );
  }

  /**
   * Ends a reservation. Returns whether held units changed. A committed one stays committed
   * (release after commit is a no-op); an unknown id leaves a tombstone so a late reserve is refused.
   */
  finish(id: string, status: "committed" | "released", now: number): boolean {
    const current = this.status(id);
    if (current === "committed" || current === status) return false;
    this.sql.exec(
      `INSERT INTO reservations (id, quantity, status, expires_at, updated_at) VALUES (?, 0, ?, 0, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
      id, status, now,
    );
    return current === "held";
  }

  /** Held reservations past their expiry stop counting; returns how many expired. */
  expireOverdue(now: number): number {
    return this.sql.exec("UPDATE reservations SET status = 'expired', updated_at = ? WHERE status = 'held' AND expires_at <= ?", now, now).rowsWritten;
  }

  purgeFinished(now: number): void {
    this.sql.exec("DELETE FROM reservations WHERE status != 'held' AND updated_at <= ?", now - TOMBSTONE_TTL_MS);
  }

  /** The alarm time: the earliest expiry of a held reservation, or the earliest tombstone purge. */
  nextWakeUp(): number | null {
    const row = this.sql
      .exec<{ next: number | null }>(
        "SELECT MIN(CASE WHEN status = 'held' THEN expires_at ELSE updated_at + ? END) AS next FROM reservations",
        TOMBSTONE_TTL_MS,
      )
      .one();
    return row.next;
  }
}
