/**
 * Rate limiter Durable Object: holds the GCRA state of one key (the exact groups: `auth:<ip>`, an
 * account's failures) or of many (the leased groups' shared objects, `catalog@<colo>#<n>`), and
 * decides with the pure step of src/modules/rate-limits/rate-limits.gcra.ts; the policies, the
 * client and the leases live in that module too. A key's TAT is kept in memory, and in the
 * SQLite-backed synchronous KV once the key is `DURABLE_FROM_SHARE` into its burst, so an ordinary
 * buyer costs no storage write; an alarm forgets stored keys once they have been replenished for a
 * while (`FORGET_AFTER_MS`). Why: docs/identity.md, "Rate limiting".
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import {
  available,
  credit,
  gcra,
  type Lease,
  type LimitDecision,
  type LimitPolicy,
} from "../modules/rate-limits/rate-limits.gcra";

/**
 * Where a key's TAT is stored. A per-key object calls its one key `SOLE_KEY`, stored under plain
 * "tat" as before keys existed: objects written by the previous release read the same, and the
 * previous release's Worker (which passes no key) still calls them correctly during a canary.
 */
const TAT_KEY = "tat";
export const SOLE_KEY = "";
const storageKey = (key: string) => (key === SOLE_KEY ? TAT_KEY : `${TAT_KEY}:${key}`);
const keyOf = (entry: string) => (entry === TAT_KEY ? SOLE_KEY : entry.slice(TAT_KEY.length + 1));
/** How long a fully replenished key is kept before its storage is deleted. */
export const FORGET_AFTER_MS = 10 * 60 * 1000;
/** The share of its burst a key must have spent before its state is written to storage. */
export const DURABLE_FROM_SHARE = 0.1;
/** Keys kept in memory; past it, replenished ones are dropped (their state is "full" either way). */
export const MAX_KEYS_IN_MEMORY = 10_000;

export class RateLimiter extends DurableObject<Env> {
  private readonly tats = new Map<string, number>();
  /** Keys with a TAT in storage: every change of theirs is written, so storage never lags memory. */
  private readonly stored = new Set<string>();
  private alarmSet = false;

  /** Liveness probe used by /ready: proves the namespace answers and its storage works. */
  async ping(): Promise<"pong"> {
    this.ctx.storage.kv.put("lastPing", Date.now());
    return "pong";
  }

  /** Spends `cost` units of `key` if the policy allows it. (New arguments come last: see SOLE_KEY.) */
  async take(policy: LimitPolicy, cost = 1, key = SOLE_KEY): Promise<LimitDecision> {
    const now = Date.now();
    const { decision, tat } = gcra(policy, this.tatOf(key), now, cost);
    await this.advance(policy, key, tat, now);
    return decision;
  }

  /**
   * Spends as many units of `key` as it has, up to `want` (none when it has none), after
   * crediting `returning` units an earlier lease of this key left unspent: the Worker's per-isolate
   * leases for the generous, fail-open groups (rate-limits.leases.ts) take units in blocks.
   */
  async lease(policy: LimitPolicy, want: number, returning = 0, key = SOLE_KEY): Promise<Lease> {
    const now = Date.now();
    const credited = credit(policy, this.tatOf(key), now, returning);
    let granted = Math.max(1, Math.min(want, available(policy, credited, now)));
    let step = gcra(policy, credited, now, granted);
    // `available` divides floats: one unit fewer if the product rounded the other way
    if (!step.decision.allowed && granted > 1) step = gcra(policy, credited, now, (granted -= 1));
    await this.advance(policy, key, step.tat, now);
    return { ...step.decision, granted: step.decision.allowed ? granted : 0 };
  }

  /**
   * Returns `cost` units spent by an earlier `take` (the login guard spends before hashing, so
   * concurrent guesses cannot all pass a look-only check, and gives the unit back on success).
   * Never credits more than was spent: the TAT only moves back toward "now".
   */
  async giveBack(policy: LimitPolicy, cost = 1, key = SOLE_KEY): Promise<void> {
    const now = Date.now();
    await this.advance(policy, key, credit(policy, this.tatOf(key), now, cost), now);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    let next = Infinity;
    for (const [entry, tat] of this.ctx.storage.kv.list<number>({ prefix: TAT_KEY })) {
      if (tat + FORGET_AFTER_MS > now) {
        next = Math.min(next, tat + FORGET_AFTER_MS);
        continue;
      }
      const key = keyOf(entry);
      this.ctx.storage.kv.delete(entry);
      this.stored.delete(key);
      this.tats.delete(key);
    }
    this.alarmSet = next !== Infinity;
    if (this.alarmSet) await this.ctx.storage.setAlarm(next);
  }

  private tatOf(key: string): number {
    const known = this.tats.get(key);
    if (known !== undefined) return known;
    // synchronous KV of SQLite-backed objects: no await, so nothing interleaves
    const stored = this.ctx.storage.kv.get<number>(storageKey(key));
    if (stored !== undefined) this.stored.add(key);
    this.remember(key, stored ?? 0);
    return stored ?? 0;
  }

  private remember(key: string, tat: number): void {
    this.tats.set(key, tat);
    if (this.tats.size <= MAX_KEYS_IN_MEMORY) return;
    const now = Date.now();
    for (const [other, otherTat] of this.tats) if (otherTat <= now && other !== key) this.tats.delete(other);
  }

  /** Keeps the key's new TAT in memory, and in storage once it is a tenth into its burst (or already stored). */
  private async advance(policy: LimitPolicy, key: string, tat: number, now: number): Promise<void> {
    if (tat === this.tatOf(key)) return;
    this.remember(key, tat);
    // how far the key is into its burst: the TAT's lead over now, as a share of the window
    if (!this.stored.has(key) && tat - now < DURABLE_FROM_SHARE * policy.windowSeconds * 1000) return;
    this.stored.add(key);
    this.ctx.storage.kv.put(storageKey(key), tat);
    if (!this.alarmSet) {
      this.alarmSet = true;
      await this.ctx.storage.setAlarm(tat + FORGET_AFTER_MS);
    }
  }
}
