/**
 * The cost of one happy-path checkout, counted (docs/checkout.md, "Round trips"): the D1 calls of
 * the checkout's own handle and the StockLock calls, each also counted in "waves" (calls that
 * start while none of their kind is in flight: sequential round trips), on the response path and
 * after the answer (`waitUntil`). The test provider keeps its ledger on its own D1 handle: it
 * stands for Stripe, so its calls count as the one `payment` call.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { createDatabase } from "../../db/client";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import { ServerTimings, timedD1, type Dependency } from "../../platform/timing";
import { cartTtlMs } from "../cart/cart.access";
import { paymentProviderFor } from "../payments/payments.service";
import { readyCartOverHttp } from "./checkout.fixtures";
import { runCheckout } from "./checkout.service";

beforeAll(ensurePricingRules);

/** Timings that also count waves: a call that starts while no other call to the same dependency runs. */
class WaveTimings extends ServerTimings {
  private readonly running = new Map<string, number>();
  private readonly started = new Map<string, number>();

  override async time<T>(name: Dependency, work: () => Promise<T>): Promise<T> {
    const running = this.running.get(name) ?? 0;
    if (running === 0) this.started.set(name, this.waves(name) + 1);
    this.running.set(name, running + 1);
    try {
      return await super.time(name, work);
    } finally {
      this.running.set(name, (this.running.get(name) ?? 1) - 1);
    }
  }

  waves(name: Dependency): number {
    return this.started.get(name) ?? 0;
  }

  tally() {
    return {
      d1: { calls: this.count("d1"), waves: this.waves("d1") },
      stockLock: { calls: this.count("do"), waves: this.waves("do") },
      payment: this.count("payment"),
    };
  }
}

async function countedCheckout(skus: number) {
  const items = await Promise.all(
    Array.from({ length: skus }, async () => ({ sku: await createSellableSku({ onHand: 10 }), quantity: 1 })),
  );
  const cartId = await readyCartOverHttp(items);
  const onPath = new WaveTimings();
  const background: (() => Promise<unknown>)[] = [];
  const deps = {
    db: createDatabase(timedD1(env.DB, onPath)),
    env,
    payments: paymentProviderFor(env, configOf(env), onPath),
    timings: onPath,
    background: (work: () => Promise<unknown>) => void background.push(work),
  };
  const ticket = { request: { scope: "anon", key: newId("idem"), requestHash: newId("hash"), now: Date.now() } };
  const answer = await runCheckout(deps, {
    cartId,
    paymentMethod: "pm_card_visa",
    caller: undefined,
    ticket,
    cartTtlMs: cartTtlMs(env),
    clientKey: "ip:test",
    captureMethod: "automatic",
  });
  const answered = onPath.tally();
  // what the request leaves to run after its answer (waitUntil), counted on its own
  await Promise.all(background.map((work) => work()));
  const total = onPath.tally();
  const afterwards = {
    d1: total.d1.calls - answered.d1.calls,
    stockLock: total.stockLock.calls - answered.stockLock.calls,
  };
  return { answer, answered, afterwards };
}

describe("one happy-path checkout, counted", () => {
  it("with 1 SKU: 4 sequential D1 round trips and 1 StockLock call before the answer; the commit after it", async () => {
    const { answer, answered, afterwards } = await countedCheckout(1);
    expect(answer.kind).toBe("order");
    expect(answered).toEqual({ d1: { calls: 4, waves: 4 }, stockLock: { calls: 1, waves: 1 }, payment: 1 });
    // the reservation's commit and its bookkeeping row, after the answer
    expect(afterwards).toEqual({ d1: 1, stockLock: 1 });
  });

  it("with 3 SKUs: still 4 D1 round trips, and the 3 reservations in ONE wave of StockLock calls", async () => {
    const { answer, answered, afterwards } = await countedCheckout(3);
    expect(answer.kind).toBe("order");
    expect(answered).toEqual({ d1: { calls: 4, waves: 4 }, stockLock: { calls: 3, waves: 1 }, payment: 1 });
    expect(afterwards).toEqual({ d1: 1, stockLock: 3 });
  });
});
