/**
 * Per-isolate leases of per-IP units for the fail-open groups: the isolate takes a block of units in
 * one `RateLimiter.lease` call and spends it locally, so a busy IP is neither a DO round trip per
 * request nor a hot object. The object spends units before the isolate hands them out, so it stays
 * the source of truth; what a lease can over-permit is bounded by `leaseSize`. Requests waiting for
 * a key's call in flight poll this book (plain data) on their own timers and never await the call:
 * a promise of I/O belongs to the request that started it (docs/isolate-state.md). The whole design:
 * docs/identity.md, "Leases for `api` and `catalog`".
 */
import type { Lease, LimitDecision, LimitPolicy } from "./rate-limits.gcra";

/** Units taken per call at most: one second's worth of the policy (the bound on what a lease can over-permit). */
export function leaseSize(policy: LimitPolicy): number {
  return Math.max(1, Math.floor(policy.limit / policy.windowSeconds));
}

/** The first block of a key. */
export const FIRST_BLOCK = 2;

interface Held {
  units: number;
  /** The size of the block these units came from. */
  size: number;
  /** The object's remaining units when the block was granted (the block itself excluded). */
  remaining: number;
  resetAt: number;
  expiresAt: number;
  deniedUntil: number;
  unavailableUntil: number;
}

export interface LeaseBookOptions {
  now?: () => number;
  /** A block older than this goes back on the next call (and the RateLimit header it feeds stays fresh). */
  ttlMs?: number;
  /** Keys kept per isolate; the oldest is dropped beyond it (its units are lost: stricter, never looser). */
  maxKeys?: number;
  /**
   * A call older than this no longer counts as in flight: its owner gave up on it (the call's own
   * deadline), or the request that made it was cancelled and will never clear its mark.
   */
  callDeadlineMs?: number;
}

/** What `spend` found: a decision made here, a known outage, or the call to make. */
export type LocalSpend = { decision: LimitDecision } | { unavailable: true } | { returning: number; want: number };

export class LeaseBook {
  private readonly held = new Map<string, Held>();
  /** When the call in flight for a key was started: plain data, so any request may read it. */
  private readonly inFlight = new Map<string, number>();
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly maxKeys: number;
  private readonly callDeadlineMs: number;

  constructor({ now = Date.now, ttlMs = 10_000, maxKeys = 4096, callDeadlineMs = 1_000 }: LeaseBookOptions = {}) {
    this.now = now;
    this.ttlMs = ttlMs;
    this.maxKeys = maxKeys;
    this.callDeadlineMs = callDeadlineMs;
  }

  /**
   * Spends one unit of `id` from its live block, refuses while a refusal stands, reports a known
   * outage, or says which block to ask for (at most `cap` units) and what to return with it.
   */
  spend(id: string, cap: number): LocalSpend {
    const now = this.now();
    const held = this.held.get(id);
    if (!held) return { returning: 0, want: Math.min(FIRST_BLOCK, cap) };
    if (now < held.unavailableUntil) return { unavailable: true };
    if (now < held.deniedUntil) {
      const wait = Math.max(1, Math.ceil((held.deniedUntil - now) / 1000));
      return { decision: { allowed: false, remaining: 0, resetSeconds: wait, retryAfterSeconds: wait } };
    }
    const live = now < held.expiresAt;
    if (held.units > 0 && live) {
      held.units -= 1;
      return { decision: this.allowed(held, now) };
    }
    this.held.delete(id);
    // used up while live: the key spends faster than its blocks; expired with most left: slower
    const want = live ? held.size * 2 : held.units * 2 > held.size ? Math.ceil(held.size / 2) : held.size;
    return { returning: held.units, want: Math.max(1, Math.min(want, cap)) };
  }

  /** Keeps a block the object granted, one unit of which the caller spends now; the decision for that unit. */
  record(id: string, lease: Lease): LimitDecision {
    const now = this.now();
    const earlier = this.held.get(id);
    this.held.delete(id);
    if (!lease.allowed) {
      this.keep(id, { ...this.empty(now), deniedUntil: now + lease.retryAfterSeconds * 1000 });
      return lease;
    }
    // a request that could not wait for the call in flight may have recorded its own block: pool them
    const pooled = earlier && now < earlier.expiresAt ? earlier.units : 0;
    const held = {
      ...this.empty(now),
      units: lease.granted - 1 + pooled,
      size: lease.granted,
      remaining: lease.remaining,
      resetAt: now + lease.resetSeconds * 1000,
      expiresAt: now + this.ttlMs,
    };
    this.keep(id, held);
    return this.allowed(held, now);
  }

  /** The limiter did not answer for `id`: let its requests through (fail open) for one block's lifetime. */
  recordUnavailable(id: string): void {
    const now = this.now();
    this.held.delete(id);
    this.keep(id, { ...this.empty(now), unavailableUntil: now + this.ttlMs });
  }

  /** Whether a call for `id` is in flight: a request that finds nothing held polls until it settles. */
  pending(id: string): boolean {
    const startedAt = this.inFlight.get(id);
    if (startedAt === undefined) return false;
    if (this.now() - startedAt < this.callDeadlineMs) return true;
    this.inFlight.delete(id);
    return false;
  }

  /**
   * Marks `call` as the one call in flight for `id` until it settles. Only the time it started is
   * kept: the promise stays with the request that made it.
   */
  track<T>(id: string, call: Promise<T>): Promise<T> {
    const startedAt = this.now();
    this.inFlight.set(id, startedAt);
    const clear = () => {
      if (this.inFlight.get(id) === startedAt) this.inFlight.delete(id);
    };
    call.then(clear, clear);
    return call;
  }

  private empty(now: number): Held {
    return { units: 0, size: 0, remaining: 0, resetAt: now, expiresAt: now, deniedUntil: 0, unavailableUntil: 0 };
  }

  private keep(id: string, held: Held): void {
    this.held.set(id, held);
    if (this.held.size > this.maxKeys) this.held.delete(this.held.keys().next().value as string);
  }

  private allowed(held: Held, now: number): LimitDecision {
    return {
      allowed: true,
      remaining: held.remaining + held.units,
      resetSeconds: Math.max(0, Math.ceil((held.resetAt - now) / 1000)),
      retryAfterSeconds: 0,
    };
  }
}
