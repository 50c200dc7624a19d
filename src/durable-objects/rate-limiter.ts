/**
 * Rate limiter Durable Object: one instance per limited key (IP + route group, or account).
 * SQLite-backed storage keeps its state across evictions.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export class RateLimiter extends DurableObject<Env> {
  /** Liveness probe used by /ready: proves the namespace answers and its storage works. */
  async ping(): Promise<"pong"> {
    this.ctx.storage.kv.put("lastPing", Date.now());
    return "pong";
  }
}
