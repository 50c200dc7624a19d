/**
 * Rate-limit policies, in one place, and the client that asks the RateLimiter Durable Object.
 *
 * - `auth` (per IP: register, login, password forgot/reset): 60 per minute, burst 60. A shop
 *   behind a carrier NAT signs in far less often, a credential-stuffing bot far more; each login
 *   costs a PBKDF2 hash, so this is the CPU guard too. Fails CLOSED: without the limiter we would
 *   hand out unlimited password guesses.
 * - `api` (per IP: the rest of /v1, refresh and logout included, except catalog reads and
 *   provider webhooks): 1200 per minute, generous for many buyers behind one IP. Fails OPEN: an
 *   outage of the limiter must not take the shop down.
 * - `catalog` (per IP: GET/HEAD /v1/products…, /v1/categories): 1200 per minute. Generous (a
 *   storefront page makes a handful of reads), but it meters the one public path that can make D1
 *   work. Fails OPEN, like `api`.
 * - `login-failures` (per account email, whatever the IP): 5 per 15 minutes, then 429 until a unit
 *   refills (GCRA: one every 3 minutes). Spent BEFORE the password hash and given back on success,
 *   so concurrent guesses cannot all slip past. Fails CLOSED.
 * - `reset-emails` (per target address, whatever the IP): 3 reset emails per hour; beyond that
 *   `forgot` still answers 202 but sends nothing. Fails CLOSED (sends nothing).
 * /health, /ready, /openapi.json, /docs and JWKS are not limited here; volumetric abuse of those is
 * for Cloudflare's edge rate-limiting rules in front of the Worker.
 *
 * Keys: the client address is `CF-Connecting-IP` (set by Cloudflare's edge; `X-Forwarded-For` is
 * never read), an IPv6 address keyed by its /64 (see platform/client-address.ts).
 *
 * Override per deployment with the `RATE_LIMIT_POLICIES` var, a JSON object such as
 * `{"auth":{"limit":600,"windowSeconds":60}}` (merged over the defaults).
 */
import * as z from "zod";
import type { LimitDecision, LimitPolicy } from "../../durable-objects/rate-limiter";
import type { Env } from "../../env";
import { DependencyError, RateLimitedError } from "../../platform/errors";
import type { ServerTimings } from "../../platform/timing";
import { log } from "../../platform/observability/log";
import { sleep } from "../../platform/sleep";
import { LeaseBook, leaseSize } from "./rate-limit-leases";

export type FailMode = "open" | "closed";
export interface Policy extends LimitPolicy {
  failMode: FailMode;
}

export const DEFAULT_POLICIES = {
  auth: { limit: 60, windowSeconds: 60, failMode: "closed" },
  api: { limit: 1200, windowSeconds: 60, failMode: "open" },
  catalog: { limit: 1200, windowSeconds: 60, failMode: "open" },
  "login-failures": { limit: 5, windowSeconds: 15 * 60, failMode: "closed" },
  "reset-emails": { limit: 3, windowSeconds: 60 * 60, failMode: "closed" },
} satisfies Record<string, Policy>;

export type PolicyName = keyof typeof DEFAULT_POLICIES;
export type RateLimitEnv = Env & { RATE_LIMIT_POLICIES?: string };

const overrideSchema = z
  .partialRecord(
    z.enum(Object.keys(DEFAULT_POLICIES) as [PolicyName, ...PolicyName[]]),
    z.object({ limit: z.number().int().positive(), windowSeconds: z.number().int().positive() }).strict(),
  )
  .optional();

const parsed = new WeakMap<object, Record<PolicyName, Policy>>();

/** The effective policies of this env (defaults + `RATE_LIMIT_POLICIES`), parsed once per isolate. */
export function policiesOf(env: RateLimitEnv): Record<PolicyName, Policy> {
  let policies = parsed.get(env);
  if (!policies) {
    const overrides =
      overrideSchema.parse(env.RATE_LIMIT_POLICIES ? JSON.parse(env.RATE_LIMIT_POLICIES) : undefined) ?? {};
    policies = { ...DEFAULT_POLICIES };
    for (const [name, override] of Object.entries(overrides) as [PolicyName, LimitPolicy][])
      policies[name] = { ...policies[name], ...override };
    parsed.set(env, policies);
  }
  return policies;
}

const SESSION_PATHS = new Set(["/v1/auth/refresh", "/v1/auth/logout"]);
const CATALOG_READ = /^\/v1\/(products|categories)(\/|$)/;

/** Which per-IP policy guards a request (`path` as routing sees it, decoded), or null for the unlimited ones. */
export function routeGroup(method: string, path: string): PolicyName | null {
  if (!path.startsWith("/v1/")) return null;
  // refresh/logout present 256-bit secrets nobody can guess, and every signed-in app behind a
  // carrier NAT refreshes every few minutes: they belong with the generous general group
  if (path.startsWith("/v1/auth/")) return SESSION_PATHS.has(path) ? "api" : "auth";
  if ((method === "GET" || method === "HEAD") && CATALOG_READ.test(path)) return "catalog";
  // payment providers sign their webhooks and retry on failure; limiting them loses nothing but events
  if (path.startsWith("/v1/webhooks/")) return null;
  return "api";
}

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
 * they stay warm (see durable-objects/rate-limiter.ts). Per data centre because an IP's requests
 * arrive at its nearest one: the object is created there, next to the isolates that lease from it.
 * Changing the count re-homes keys, which forgets their state once (looser for one window).
 */
export const LIMITER_SHARDS = 16;
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
 * Object call only when the block is gone, see rate-limit-leases.ts), one exact call otherwise.
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
  // Poll the book on this request's own timer: never await the other request's call (see rate-limit-leases.ts)
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
