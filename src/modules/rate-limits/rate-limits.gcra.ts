/**
 * GCRA (generic cell rate algorithm), pure: the whole state of a key is one timestamp, the
 * "theoretical arrival time" (TAT); a policy of `limit` per `windowSeconds` allows a burst of
 * `limit` and refills one unit every window/limit. Chosen over a sliding window because it needs
 * O(1) state (no per-request log), has no boundary spikes, and gives exact Retry-After values.
 */
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

/** Pure GCRA step, exported for tests: the decision and the TAT to store (unchanged when denied). */
export function gcra(
  policy: LimitPolicy,
  storedTat: number,
  now: number,
  cost: number,
): { decision: LimitDecision; tat: number } {
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
  return {
    decision: { allowed: true, remaining, resetSeconds: Math.ceil((nextTat - now) / 1000), retryAfterSeconds: 0 },
    tat: nextTat,
  };
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
export function credit(policy: LimitPolicy, tat: number, now: number, units: number): number {
  if (units <= 0) return tat;
  return Math.min(tat, Math.max(now, tat - units * ((policy.windowSeconds * 1000) / policy.limit)));
}
