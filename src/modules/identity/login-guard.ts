/**
 * The per-account login-failure limit, independent of the IP (brute force from a botnet and
 * credential stuffing both hit one account from many addresses). Keyed by the normalised email,
 * whether or not an account exists, so a 429 reveals nothing about which emails are registered.
 * Only failures spend units: a user who types the right password is never slowed down.
 */
import type { Env } from "../../env";
import type { ServerTimings } from "../../platform/timing";
import { consultLimiter, limiterUnavailable, rateLimited } from "./rate-limits";

export interface LoginGuard {
  /** Throws 429 when the account is locked, 503 when the limiter cannot say (fail closed). */
  check(email: string): Promise<void>;
  recordFailure(email: string): Promise<void>;
}

export function loginGuard(env: Env, timings: ServerTimings): LoginGuard {
  return {
    async check(email) {
      const outcome = await consultLimiter(env, timings, "login-failures", email, "peek");
      if (!outcome.available) throw limiterUnavailable();
      if (!outcome.decision.allowed) throw rateLimited("login-failures", env, outcome.decision, "Too many failed sign-ins for this account; try again later or reset your password");
    },
    async recordFailure(email) {
      await consultLimiter(env, timings, "login-failures", email, "take");
    },
  };
}
