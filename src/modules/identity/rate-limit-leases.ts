/**
 * Per-isolate leases of per-IP units, for the generous fail-open groups (`api`, `catalog`).
 *
 * Asking the key's RateLimiter object on every request puts a Durable Object round trip on every
 * cached catalog read, and makes one busy IP (a carrier NAT, an office) a hot object at ~1,000
 * requests/s. Instead the isolate takes a block of units in one call (`RateLimiter.lease`) and
 * spends it locally; the next call, when the block is gone or older than `ttlMs`, also returns
 * what was left unspent. The object's accounting stays the single source of truth:
 *
 * - units are spent in the object BEFORE the isolate hands them out, so leases never let more
 *   through than the policy, except that a block taken a while ago may be spent on top of a fresh
 *   burst: at most one block per isolate, and a block is one second's worth of the policy (20 of
 *   1,200/min), so the excess is bounded by a second of traffic per isolate;
 * - unspent units flow back on the next call, so a slow browser is not charged for a whole
 *   block; a block lost with its isolate (or evicted from this book) only makes the limit stricter;
 * - a refusal is remembered until its Retry-After, so a client hammering past its limit is
 *   refused here without reaching the object at all.
 *
 * The fail-closed groups (credentials, per-account limits) never lease: each of their decisions is
 * one exact call.
 */
import type { Lease, LimitDecision, LimitPolicy } from "../../durable-objects/rate-limiter";

/** Units taken per call: one second's worth of the policy (the bound on what a lease can over-permit). */
export function leaseSize(policy: LimitPolicy): number {
  return Math.max(1, Math.floor(policy.limit / policy.windowSeconds));
}

interface Held {
  units: number;
  /** The object's remaining units when the block was granted (the block itself excluded). */
  remaining: number;
  resetAt: number;
  expiresAt: number;
  deniedUntil: number;
}

export interface LeaseBookOptions {
  now?: () => number;
  /** A block older than this goes back on the next call (and the RateLimit header it feeds stays fresh). */
  ttlMs?: number;
  /** Keys kept per isolate; the oldest is dropped beyond it (its units are lost: stricter, never looser). */
  maxKeys?: number;
}

/** What `spend` found: a decision made locally, or the call to make (with the units to return). */
export type LocalSpend = { decision: LimitDecision } | { returning: number };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export class LeaseBook {
  private readonly held = new Map<string, Held>();
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly maxKeys: number;

  constructor({ now = Date.now, ttlMs = 10_000, maxKeys = 4096 }: LeaseBookOptions = {}) {
    this.now = now;
    this.ttlMs = ttlMs;
    this.maxKeys = maxKeys;
  }

  /** Spends one unit of `id` from its live block, refuses while a refusal stands, or says what to return to the object. */
  spend(id: string): LocalSpend {
    const now = this.now();
    const held = this.held.get(id);
    if (!held) return { returning: 0 };
    if (now < held.deniedUntil) {
      const wait = seconds(held.deniedUntil - now);
      return { decision: { allowed: false, remaining: 0, resetSeconds: wait, retryAfterSeconds: wait } };
    }
    if (held.units > 0 && now < held.expiresAt) {
      held.units -= 1;
      return { decision: this.allowed(held, now) };
    }
    this.held.delete(id);
    return { returning: held.units };
  }

  /** Keeps a block the object granted, one unit of which the caller spends now; the decision for that unit. */
  record(id: string, lease: Lease): LimitDecision {
    const now = this.now();
    const earlier = this.held.get(id);
    this.held.delete(id);
    if (!lease.allowed) {
      this.keep(id, { units: 0, remaining: 0, resetAt: now, expiresAt: now, deniedUntil: now + lease.retryAfterSeconds * 1000 });
      return lease;
    }
    // a concurrent request of the same key may have recorded its own block first: pool them
    const pooled = earlier && now < earlier.expiresAt ? earlier.units : 0;
    const held = { units: lease.granted - 1 + pooled, remaining: lease.remaining, resetAt: now + lease.resetSeconds * 1000, expiresAt: now + this.ttlMs, deniedUntil: 0 };
    this.keep(id, held);
    return this.allowed(held, now);
  }

  private keep(id: string, held: Held): void {
    this.held.set(id, held);
    if (this.held.size > this.maxKeys) this.held.delete(this.held.keys().next().value as string);
  }

  private allowed(held: Held, now: number): LimitDecision {
    return { allowed: true, remaining: held.remaining + held.units, resetSeconds: Math.max(0, Math.ceil((held.resetAt - now) / 1000)), retryAfterSeconds: 0 };
  }
}
