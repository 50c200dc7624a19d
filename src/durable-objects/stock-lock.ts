/**
 * Stock lock Durable Object: serialises reservations of one SKU so that nothing is sold twice.
 * D1 holds on-hand stock (the truth); this object holds what is reserved but not yet committed.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export class StockLock extends DurableObject<Env> {
  /** Units reserved and not yet committed or released. */
  async reserved(): Promise<number> {
    return this.ctx.storage.kv.get<number>("reserved") ?? 0;
  }
}
