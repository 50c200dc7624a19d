/**
 * The client of the RateLimiter Durable Object (src/durable-objects/rate-limiter.ts): spends and
 * gives back units of a policy (rate-limits.policy.ts) for a key, with a deadline, and shapes the
 * answers (RateLimit headers, 429, 503). The per-IP groups that fail open spend from this isolate's
 * leases (rate-limits.leases.ts); every other decision is one exact call.
 */
import type { Env } from "../../env";
import { DependencyError, RateLimitedError } from "../../platform/errors";
import type { ServerTimings } from "../../platform/timing";
import { log } from "../../platform/observability/log";
import { sleep } from "../../platform/sleep";
import type { LimitDecision, LimitPolicy } from "./rate-limits.gcra";
import { LeaseBook, leaseSize } from "./rate-limits.leases";
import { policiesOf, type PolicyName } from "./rate-limits.policy";

/** A DO that does not answer within this is treated as unavailable (then the fail mode decides). */
const LIMITER_DEADLINE_MS = 1_000;

export type LimitOutcome = { available: true; decision: LimitDecision } | { available: false };

const limitsOf = (env: Env, name: PolicyName): LimitPolicy => {
  const { limit, windowSeconds } = policiesOf(env)[name];
  return { limit, windowSeconds };
};
/** The exact groups' object: one per key. */
const stubOf = (env: Env, name: PolicyName, key: string) =>
  env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`${name}:${key}`));

/**
 * The leased groups' objects: LIMITER_SHARDS per group and data centre, shared by many keys, so
 * they stay warm (see src/durable-objects/rate-limiter.ts). Per data centre because an IP's requests
 * arrive at its nearest one: the object is created there, next to the isolates that lease from it.
 * Changing the count re-homes keys, which forgets their state once (looser for one window).
 */
const LIMITER_SHARDS = 16;
const shardStubOf = (env: Env, name: PolicyName, key: string, colo: string) =>
  env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`${name}@${colo}#${fnv1a(key) % LIMITER_SHARDS}`));

/** FNV-1a, 32 bits: a cheap, well-spread hash of the key (not a secret: the shard is no defence). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** One Durable Object call that spends a unit of `name` for `key`, atomically. */
export function consultLimiter(env: Env, timings: ServerTimings, name: PolicyName, key: string): Promise<LimitOutcome> {
  return outcomeOf(name, () =>
    timings.time("do", () => withDeadline(stubOf(env, name, key).take(limitsOf(env, name)))),
  );
}

const leases = new LeaseBook({ callDeadlineMs: LIMITER_DEADLINE_MS });
/** How often a request waiting for another's lease call looks at the book again. */
const LEASE_POLL_MS = 2;
/** How long it waits in all before it asks on its own (a warm lease call takes a few ms; blocks double, so a few cover a burst). */
const MAX_LEASE_WAIT_MS = 50;

/**
 * Spends a unit of a per-IP group: from this isolate's lease for the fail-open groups (a Durable
 * Object call only when the block is gone, see rate-limits.leases.ts), one exact call otherwise.
 */
export async function spendPerIp(
  env: Env,
  timings: ServerTimings,
  name: PolicyName,
  key: string,
  colo = "local",
): Promise<LimitOutcome> {
  const policy = policiesOf(env)[name];
  if (policy.failMode === "closed") return consultLimiter(env, timings, name, key);
  // the policy is part of the id, so a deployment that changes it starts fresh blocks
  const id = `${name}:${policy.limit}/${policy.windowSeconds}:${key}`;
  let local = leases.spend(id, leaseSize(policy));
  // another request of this key is asking already: its block will most likely serve this one too.
  // Poll the book on this request's own timer: never await the other request's call (see rate-limits.leases.ts)
  for (
    let waited = 0;
    "returning" in local && waited < MAX_LEASE_WAIT_MS && leases.pending(id);
    waited += LEASE_POLL_MS
  ) {
    await sleep(LEASE_POLL_MS);
    local = leases.spend(id, leaseSize(policy));
  }
  if ("decision" in local) return { available: true, decision: local.decision };
  if ("unavailable" in local) return { available: false };
  const { returning, want } = local;
  const call = leases.track(
    id,
    timings.time("do", () =>
      withDeadline(shardStubOf(env, name, key, colo).lease(limitsOf(env, name), want, returning, key)),
    ),
  );
  const outcome = await outcomeOf(name, async () => leases.record(id, await call));
  if (!outcome.available) leases.recordUnavailable(id);
  return outcome;
}

async function outcomeOf(name: PolicyName, decide: () => Promise<LimitDecision>): Promise<LimitOutcome> {
  try {
    return { available: true, decision: await decide() };
  } catch (error) {
    log.warn("rate limiter unavailable", { policy: name, error });
    return { available: false };
  }
}

/** Gives back a unit spent by `consultLimiter` (best effort: a lost give-back only makes the limit stricter). */
export async function returnUnit(env: Env, timings: ServerTimings, name: PolicyName, key: string): Promise<void> {
  try {
    await timings.time("do", () => withDeadline(stubOf(env, name, key).giveBack(limitsOf(env, name))));
  } catch (error) {
    log.warn("rate limiter give-back failed", { policy: name, error });
  }
}

function withDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("rate limiter timed out")), LIMITER_DEADLINE_MS);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** IETF draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "auth";q=60;w=60`, `RateLimit: "auth";r=12;t=48`. */
export function limitHeaders(name: PolicyName, policy: LimitPolicy, decision: LimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Policy": `"${name}";q=${policy.limit};w=${policy.windowSeconds}`,
    RateLimit: `"${name}";r=${decision.remaining};t=${decision.resetSeconds}`,
  };
  if (!decision.allowed) headers["Retry-After"] = String(decision.retryAfterSeconds);
  return headers;
}

export function rateLimited(name: PolicyName, env: Env, decision: LimitDecision, detail: string): RateLimitedError {
  return new RateLimitedError({ detail, headers: limitHeaders(name, policiesOf(env)[name], decision) });
}

export function limiterUnavailable(): DependencyError {
  return new DependencyError({
    detail: "Rate limiting is unavailable; try again shortly",
    headers: { "Retry-After": "5" },
  });
}
