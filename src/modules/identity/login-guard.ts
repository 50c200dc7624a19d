/**
 * Identity's per-account limits (src/modules/rate-limits/rate-limits.policy.ts), keyed by the
 * normalised email whatever the IP, whether or not an account exists, so a 429 reveals nothing about
 * which emails are registered. A login attempt is SPENT before the password is hashed (one atomic
 * step in the Durable Object) and given back when the password was right: concurrent guesses cannot
 * all pass a look-only check, and a user who types the right password never uses up the budget.
 */
import type { Env } from "../../env";
import type { ServerTimings } from "../../platform/timing";
import { consultLimiter, limiterUnavailable, rateLimited, returnUnit } from "../rate-limits/rate-limits.service";

export interface LoginGuard {
  /** Spends one attempt: throws 429 when none is left, 503 when the limiter cannot say (fail closed). */
  spend(email: string): Promise<void>;
  /** A successful sign-in gives its attempt back: only failures count. */
  giveBack(email: string): Promise<void>;
}

export function loginGuard(env: Env, timings: ServerTimings): LoginGuard {
  return {
    async spend(email) {
      const outcome = await consultLimiter(env, timings, "login-failures", email);
      if (!outcome.available) throw limiterUnavailable();
      if (!outcome.decision.allowed)
        throw rateLimited(
          "login-failures",
          env,
          outcome.decision,
          "Too many failed sign-ins for this account; try again later or reset your password",
        );
    },
    giveBack: (email) => returnUnit(env, timings, "login-failures", email),
  };
}

/**
 * `forgot` spends one of the target address's reset emails; when none is left — or the limiter
 * cannot say — nothing is sent and the answer is still 202, so the limit cannot be used to learn
 * which addresses exist nor to flood an inbox.
 */
export function resetEmailBudget(env: Env, timings: ServerTimings): (email: string) => Promise<boolean> {
  return async (email) => {
    const outcome = await consultLimiter(env, timings, "reset-emails", email);
    return outcome.available && outcome.decision.allowed;
  };
}
