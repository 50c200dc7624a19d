/**
 * Per-IP rate limiting by route group (`routeGroup`), as middleware. The group is chosen on
 * `c.req.path`, the decoded path routing uses, so `/v1/%61uth/login` is limited as the login it
 * routes to. The key is the client address (`CF-Connecting-IP` only, never `X-Forwarded-For`), IPv6
 * by /64. Limited answers carry `RateLimit` / `RateLimit-Policy`; a refusal is 429 with `Retry-After`.
 * When the limiter is unavailable the group's fail mode decides: open lets the request through,
 * closed answers 503.
 */
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../../platform/context";
import { rateLimitKey } from "../../platform/ip";
import { clientIp } from "../../platform/origin";
import { policiesOf, routeGroup } from "./rate-limits.policy";
import { limitHeaders, limiterUnavailable, rateLimited, spendPerIp } from "./rate-limits.service";

export function rateLimit() {
  return createMiddleware<AppBindings>(async function rateLimit(c, next) {
    const group = routeGroup(c.req.method, c.req.path);
    if (!group) return next();
    // Cloudflare always sets CF-Connecting-IP in production; only local tools may omit it
    const outcome = await spendPerIp(
      c.env,
      c.get("timings"),
      group,
      rateLimitKey(clientIp(c)),
      c.req.raw.cf?.colo as string | undefined,
    );
    if (!outcome.available) {
      if (policiesOf(c.env)[group].failMode === "closed") throw limiterUnavailable();
      return next();
    }
    if (!outcome.decision.allowed)
      throw rateLimited(group, c.env, outcome.decision, "Too many requests from your network; slow down");
    await next();
    // a stricter limit downstream (the account's login failures) keeps its own headers
    const headers = c.res.headers;
    if (headers.has("RateLimit")) return;
    // in place: Hono's c.header() copies the whole Response on each call once the answer exists
    for (const [name, value] of Object.entries(limitHeaders(group, policiesOf(c.env)[group], outcome.decision)))
      headers.set(name, value);
  });
}
