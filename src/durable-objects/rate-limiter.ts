/**
 * Rate limiter Durable Object: one instance per limited key (route group + IP, or an account's
 * login failures), so keys never contend with each other and each decision is a single-threaded
 * read-modify-write of one number.
 *
 * Algorithm: GCRA (generic cell rate algorithm). The whole state is one timestamp, the
 * "theoretical arrival time" (TAT); a policy of `limit` per `windowSeconds` allows a burst of
 * `limit` and refills one unit every window/limit. Chosen over a sliding window because it needs
 * O(1) state (no per-request log), has no boundary spikes, and gives exact Retry-After values.
 * The TAT lives in memory, and in the SQLite-backed synchronous KV (survives eviction) once the
 * key has spent a tenth of its burst (`DURABLE_FROM_SHARE`): below that, losing the memory (an
 * evicted or restarted object) forgives at most a tenth of a burst, and an ordinary buyer's request
 * costs no storage write; a key that is being pushed against its limit is always stored. An alarm
 * deletes the storage once the key has been fully replenished for a while (`FORGET_AFTER_MS`), so
 * idle IPs leave nothing behind while a returning buyer's key is not deleted and re-created
 * between two of its requests (a `deleteAll` per request cost more CPU than the decision itself).
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export interface LimitPolicy {
  limit: number;
  windowSeconds: number;
}

export interface LimitDecision {
  allowed: boolean;
  /** Units left after this decision. */
  remaining: number;
  /** Seconds until the quota is fully replenished (or, when denied, until the next unit). */
  resetSeconds: number;
  /** Seconds to wait before retrying; 0 when allowed. */
  retryAfterSeconds: number;
}

const TAT_KEY = "tat";
/** How long a fully replenished key is kept before its storage is deleted. */
export const FORGET_AFTER_MS = 10 * 60 * 1000;
/** The share of its burst a key must have spent before its state is written to storage. */
export const DURABLE_FROM_SHARE = 0.1;

/** Pure GCRA step, exported for tests: the decision and the TAT to store (unchanged when denied). */
export function gcra(policy: LimitPolicy, storedTat: number, now: number, cost: number): { decision: LimitDecision; tat: number } {
  const window = policy.windowSeconds * 1000;
  const interval = window / policy.limit;
  const tat = Math.max(storedTat, now);
  const nextTat = tat + cost * interval;
  const allowAt = nextTat - window;
  if (now < allowAt) {
    const wait = Math.max(1, Math.ceil((allowAt - now) / 1000));
    return { decision: { allowed: false, remaining: 0, resetSeconds: wait, retryAfterSeconds: wait }, tat: storedTat };
  }
  const remaining = Math.max(0, Math.floor((window - (nextTat - now)) / interval));
  return { decision: { allowed: true, remaining, resetSeconds: Math.ceil((nextTat - now) / 1000), retryAfterSeconds: 0 }, tat: nextTat };
}

/** A block of units spent at once: `granted` of them (0 when denied), with the decision after them. */
export interface Lease extends LimitDecision {
  granted: number;
}

/** How many units the key could spend now. */
export function available(policy: LimitPolicy, tat: number, now: number): number {
  const interval = (policy.windowSeconds * 1000) / policy.limit;
  return Math.max(0, Math.floor((now + policy.windowSeconds * 1000 - Math.max(tat, now)) / interval));
}

/** The TAT after giving back `units` spent earlier: never earlier than now, so never more than was spent. */
function credit(policy: LimitPolicy, tat: number, now: number, units: number): number {
  if (units <= 0) return tat;
  return Math.min(tat, Math.max(now, tat - units * ((policy.windowSeconds * 1000) / policy.limit)));
}

export class RateLimiter extends DurableObject<Env> {
  private tat: number;
  private alarmSet = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // synchronous KV of SQLite-backed objects: no await, so no interleaving before the first call
    this.tat = ctx.storage.kv.get<number>(TAT_KEY) ?? 0;
  }

  /** Liveness probe used by /ready: proves the namespace answers and its storage works. */
  async ping(): Promise<"pong"> {
    this.ctx.storage.kv.put("lastPing", Date.now());
    return "pong";
  }

  /** Spends `cost` units if the policy allows it. */
  async take(policy: LimitPolicy, cost = 1): Promise<LimitDecision> {
    const now = Date.now();
    const { decision, tat } = gcra(policy, this.tat, now, cost);
    await this.advance(policy, tat, now);
    return decision;
  }

  /**
   * Spends as many units as the key has, up to `want` (none when it has none), after crediting
   * `returning` units an earlier lease of this key left unspent: the Worker's per-isolate leases
   * for the generous, fail-open groups (identity/rate-limit-leases.ts) take units in blocks.
   */
  async lease(policy: LimitPolicy, want: number, returning = 0): Promise<Lease> {
    const now = Date.now();
    const credited = credit(policy, this.tat, now, returning);
    let granted = Math.max(1, Math.min(want, available(policy, credited, now)));
    let step = gcra(policy, credited, now, granted);
    // `available` divides floats: one unit fewer if the product rounded the other way
    if (!step.decision.allowed && granted > 1) step = gcra(policy, credited, now, (granted -= 1));
    await this.advance(policy, step.tat, now);
    return { ...step.decision, granted: step.decision.allowed ? granted : 0 };
  }

  /** Keeps the new TAT in memory, and in storage once the key is a tenth into its burst. */
  private async advance(policy: LimitPolicy, tat: number, now: number): Promise<void> {
    if (tat === this.tat) return;
    this.tat = tat;
    // how far the key is into its burst: the TAT's lead over now, as a share of the window
    if (tat - now >= DURABLE_FROM_SHARE * policy.windowSeconds * 1000) await this.store(tat);
  }

  private async store(tat: number): Promise<void> {
    this.ctx.storage.kv.put(TAT_KEY, tat);
    if (!this.alarmSet) {
      this.alarmSet = true;
      await this.ctx.storage.setAlarm(tat + FORGET_AFTER_MS);
    }
  }

  /**
   * Returns `cost` units spent by an earlier `take` (the login guard spends before hashing, so
   * concurrent guesses cannot all pass a look-only check, and gives the unit back on success).
   * Never credits more than was spent: the TAT only moves back toward "now".
   */
  async giveBack(policy: LimitPolicy, cost = 1): Promise<void> {
    const tat = credit(policy, this.tat, Date.now(), cost);
    if (tat >= this.tat) return;
    this.tat = tat;
    this.ctx.storage.kv.put(TAT_KEY, tat);
  }

  override async alarm(): Promise<void> {
    if (Date.now() >= this.tat) {
      this.alarmSet = false;
      this.tat = 0;
      await this.ctx.storage.deleteAll();
    } else {
      await this.ctx.storage.setAlarm(this.tat + FORGET_AFTER_MS);
    }
  }
}
