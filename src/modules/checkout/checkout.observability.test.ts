import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { call } from "../../../test/helpers/http";
import { captureLogs, executionContext } from "../../../test/helpers/logs";
import { recordingQueue } from "../../../test/helpers/queue";
import { createApp } from "../../app";
import { checkouts, outboxEvents } from "../../db/schema";
import { newId } from "../../platform/ids";
import { MAX_LIVE_HOLDS_PER_CLIENT } from "./checkout.policy";
import { handleQueueBatch } from "../../queues";
import type { JobMessage } from "../../queues/messages";
import { stockLockFor } from "../inventory/inventory.service";
import { publishEvents } from "../jobs/relay";
import { buyerIp, checkoutDb as db, readyCartOverHttp } from "./checkout.fixtures";

beforeAll(ensurePricingRules);
let logs = captureLogs();
afterEach(() => logs.restore());

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

function checkoutRequest(cartId: string, paymentMethod: string, headers: Record<string, string> = {}) {
  return new Request("http://motor.test/v1/checkout", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Idempotency-Key": newId("idem"),
      "CF-Connecting-IP": buyerIp(),
      ...headers,
    },
    body: JSON.stringify({ cartId, paymentMethod }),
  });
}

describe("a checkout's trace", () => {
  it("survives into its queue message and its confirmation email job", async () => {
    logs = captureLogs();
    const sku = await createSellableSku({ onHand: 3 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    const response = await call("/v1/checkout", {
      method: "POST",
      body: { cartId, paymentMethod: "pm_card_visa" },
      headers: { traceparent: CALLER, "Idempotency-Key": newId("idem"), "CF-Connecting-IP": buyerIp() },
    });
    expect(response.status).toBe(201);
    const motorSpan = response.headers.get("traceparent")?.split("-")[2];
    expect(response.headers.get("traceparent")).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    const order = (await response.json()) as { id: string };

    const row = await db()
      .select()
      .from(outboxEvents)
      .where(
        and(eq(outboxEvents.type, "order.created"), eq(sql`json_extract(${outboxEvents.data}, '$.orderId')`, order.id)),
      )
      .get();
    expect(row?.traceparent).toBe(`00-${TRACE_ID}-${motorSpan}-01`);

    const queue = recordingQueue();
    await publishEvents(queue.env, [
      {
        id: row!.id,
        type: row!.type,
        version: row!.version,
        occurredAt: row!.occurredAt,
        data: row!.data,
        traceparent: row!.traceparent!,
      },
    ]);
    const [message] = queue.sent;
    expect(message?.traceparent).toContain(TRACE_ID);

    await handleQueueBatch(
      createMessageBatch<JobMessage>("motor-jobs", [
        { id: message!.id, timestamp: new Date(), attempts: 1, body: message! },
      ]),
      env,
    );
    const sent = logs.json().find((line) => line.msg === "email sent" && line.eventId === message!.id);
    expect(sent).toMatchObject({ traceId: TRACE_ID, type: "order.created" });
    expect(sent?.spanId).not.toBe(motorSpan);
  });
});

describe("checkout with the payment breaker open", () => {
  it("answers 503 with Retry-After at once, before any stock is reserved", async () => {
    logs = captureLogs();
    const custom = {
      ...env,
      OBSERVABILITY: JSON.stringify({ breaker: { failureThreshold: 1, openMs: 60_000, minClients: 1 } }),
    };
    const app = createApp();
    const first = await readyCartOverHttp([{ sku: await createSellableSku({ onHand: 3 }), quantity: 1 }]);
    const tripping = executionContext();
    expect(
      (await app.request(checkoutRequest(first, "pm_card_providerError"), undefined, custom, tripping.ctx)).status,
    ).toBe(503);
    await tripping.settle();

    const sku = await createSellableSku({ onHand: 3 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 2 }]);
    const { ctx, settle } = executionContext();
    const refused = await app.request(checkoutRequest(cartId, "pm_card_visa"), undefined, custom, ctx);
    await settle();
    expect(refused.status).toBe(503);
    expect(refused.headers.get("Content-Type")).toBe("application/problem+json");
    const retryAfter = Number(refused.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await db().select().from(checkouts).where(eq(checkouts.cartId, cartId)).all()).toEqual([]);
    expect((await stockLockFor(env, sku).snapshot(sku)).reserved).toBe(0);
  });
});

describe("who may open the shared payment breaker", () => {
  const custom = () => ({
    ...env,
    OBSERVABILITY: JSON.stringify({ breaker: { failureThreshold: 3, openMs: 60_000, minClients: 3 } }),
  });
  /** One checkout of a fresh one-unit cart from `ip`, as its own request. */
  async function checkoutFrom(app: ReturnType<typeof createApp>, vars: object, ip: string, paymentMethod: string) {
    const cartId = await readyCartOverHttp([{ sku: await createSellableSku({ onHand: 3 }), quantity: 1 }]);
    const { ctx, settle } = executionContext();
    const response = await app.request(
      checkoutRequest(cartId, paymentMethod, { "CF-Connecting-IP": ip }),
      undefined,
      vars,
      ctx,
    );
    await settle();
    return response.status;
  }

  it("provider failures from one address (past the breaker's threshold) do not refuse the next buyer", async () => {
    logs = captureLogs();
    const app = createApp();
    const vars = custom();
    const one = buyerIp();
    // each failed charge keeps its checkout live (outcome unknown): one address may hold as many as
    // MAX_LIVE_HOLDS_PER_CLIENT (3, the threshold here too); its next one is refused with 429
    for (let attempt = 0; attempt < MAX_LIVE_HOLDS_PER_CLIENT; attempt++)
      expect(await checkoutFrom(app, vars, one, "pm_card_providerError")).toBe(503);
    expect(await checkoutFrom(app, vars, one, "pm_card_providerError")).toBe(429);
    expect(await checkoutFrom(app, vars, buyerIp(), "pm_card_visa")).toBe(201);
    expect(logs.json().filter((line) => line.msg === "circuit breaker opened")).toEqual([]);
  });

  it("the same failures from three addresses open it: a provider outage still protects everyone", async () => {
    logs = captureLogs();
    const app = createApp();
    const vars = custom();
    for (let client = 0; client < 3; client++)
      expect(await checkoutFrom(app, vars, buyerIp(), "pm_card_providerError")).toBe(503);
    const refused = await checkoutFrom(app, vars, buyerIp(), "pm_card_visa");
    expect(refused).toBe(503);
    expect(logs.json().filter((line) => line.msg === "circuit breaker opened")).toEqual([
      expect.objectContaining({ breaker: "payment:test", clients: 3 }),
    ]);
  });
});
