/**
 * Every rate limit, in one place: each policy's limit per window and what an outage of the limiter
 * does, and which per-IP policy guards a route. Why these numbers: docs/identity.md, "Rate limiting".
 * A deployment overrides limits with the `RATE_LIMIT_POLICIES` var, a JSON object such as
 * `{"auth":{"limit":600,"windowSeconds":60}}`, merged over the defaults.
 */
import * as z from "zod";
import type { Env } from "../../env";
import type { LimitPolicy } from "./rate-limits.gcra";

export type FailMode = "open" | "closed";
export interface Policy extends LimitPolicy {
  failMode: FailMode;
}

export const DEFAULT_POLICIES = {
  // per IP: register, login, password forgot/reset. Each login costs a PBKDF2 hash, so this is the CPU
  // guard too. Closed: without the limiter we would hand out unlimited password guesses
  auth: { limit: 60, windowSeconds: 60, failMode: "closed" },
  // per IP: the rest of /v1, refresh and logout included. Open: an outage of the limiter must not take the shop down
  api: { limit: 1200, windowSeconds: 60, failMode: "open" },
  // per IP: catalog reads, the one public path that can make D1 work. Open, like `api`
  catalog: { limit: 1200, windowSeconds: 60, failMode: "open" },
  // per account email, whatever the IP: spent before the password hash, given back on success (identity/login-guard.ts)
  "login-failures": { limit: 5, windowSeconds: 15 * 60, failMode: "closed" },
  // per target address, whatever the IP: the reset emails `forgot` sends. Closed: it sends nothing
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

/**
 * Which per-IP policy guards a request (`path` as routing sees it, decoded), or null for the
 * unlimited ones: /health, /ready, /openapi.json, /docs and JWKS are left to Cloudflare's edge
 * rate-limiting rules in front of the Worker.
 */
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
