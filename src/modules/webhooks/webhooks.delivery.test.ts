import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { callJson } from "../../../test/helpers/http";
import { batchOf, jobMessage, queueMessage, recordingQueue } from "../../../test/helpers/queue";
import {
  deliveriesOf,
  fanOut,
  merchantNetworkPerTest,
  registerEndpoint,
  runDelivery,
  type Delivery,
} from "../../../test/helpers/webhooks";
import { createDatabase } from "../../db/client";
import { webhookEndpoints } from "../../db/schema";
import { handleQueueBatch } from "../../queues";
import { ServerTimings, timedD1 } from "../../platform/timing";
import { testZone } from "./dns.fixtures";

const network = merchantNetworkPerTest();

/** The verification recipe of docs/async.md, step by step, as a merchant would write it. */
async function verifyAsDocumented(
  secret: string,
  header: string,
  rawBody: string,
  nowSeconds: number,
): Promise<boolean> {
  const fields = Object.fromEntries(header.split(",").map((pair) => pair.split("=")));
  const t = Number(fields.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300) return false;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${rawBody}`));
  const expected = [...new Uint8Array(mac)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return crypto.subtle.timingSafeEqual(new TextEncoder().encode(expected), new TextEncoder().encode(String(fields.v1)));
}

describe("merchant webhook deliveries", () => {
  it("delivers a subscribed event, signed so the documented recipe verifies it", async () => {
    const endpoint = await registerEndpoint(["order.paid"]);
    const event = jobMessage("order.paid", { orderId: "ord_1" });
    const messages = await fanOut(event);
    for (const message of messages) await runDelivery(message);
    const request = network.received.find((candidate) => candidate.url === endpoint.url);
    expect(request?.method).toBe("POST");
    expect(request?.redirect).toBe("manual");
    expect(request?.headers.get("Motor-Event-Type")).toBe("order.paid");
    const rawBody = await request!.text();
    expect(JSON.parse(rawBody)).toMatchObject({
      id: event.id,
      type: "order.paid",
      version: 1,
      data: { orderId: "ord_1" },
    });
    const header = request!.headers.get("Motor-Signature") ?? "";
    const now = Math.floor(Date.now() / 1000);
    expect(await verifyAsDocumented(endpoint.secret, header, rawBody, now)).toBe(true);
    expect(await verifyAsDocumented(endpoint.secret, header, rawBody.replace("ord_1", "ord_2"), now)).toBe(false);
    expect(await verifyAsDocumented("whsec_wrong", header, rawBody, now)).toBe(false);
    expect(await verifyAsDocumented(endpoint.secret, header, rawBody, now + 3600)).toBe(false);
    expect(await deliveriesOf(endpoint)).toEqual([
      expect.objectContaining({ status: "succeeded", attempts: 1, lastStatusClass: "2xx", lastStatusCode: null }),
    ]);
  });

  it("sends nothing to endpoints that did not subscribe to the event type", async () => {
    const endpoint = await registerEndpoint(["order.refunded"]);
    for (const message of await fanOut(jobMessage("order.delivered"))) await runDelivery(message);
    expect(network.received.filter((request) => request.url === endpoint.url)).toEqual([]);
  });

  it("retries a failing delivery with backoff and logs status and attempt count", async () => {
    const endpoint = await registerEndpoint(["order.fulfilled"]);
    const [message] = await fanOut(jobMessage("order.fulfilled"));
    network.answer = () => new Response("internal stack trace: db at 10.0.0.7:5432", { status: 503 });
    expect(await runDelivery(message!, 1)).toEqual({ acked: false, retried: 5 });
    // the log shows the class of the answer, never its code or body (no oracle for probing)
    expect(await deliveriesOf(endpoint)).toEqual([
      expect.objectContaining({ status: "failed", attempts: 1, lastStatusClass: "5xx", lastError: "answered 5xx" }),
    ]);
    network.answer = () => new Response("ok");
    expect(await runDelivery(message!, 2)).toEqual({ acked: true });
    expect(await deliveriesOf(endpoint)).toEqual([
      expect.objectContaining({ status: "succeeded", attempts: 2, lastStatusClass: "2xx", lastError: null }),
    ]);
  });

  it("treats a redirect as a failure and never follows it", async () => {
    const endpoint = await registerEndpoint(["order.shipped"]);
    network.answer = () =>
      new Response(null, { status: 307, headers: { Location: "http://169.254.169.254/latest/meta-data/" } });
    const messages = await fanOut(jobMessage("order.shipped", { orderId: "ord_r", email: "a@example.test" }));
    for (const message of messages) await runDelivery(message);
    expect(network.received.map((request) => request.url)).not.toContain("http://169.254.169.254/latest/meta-data/");
    expect(await deliveriesOf(endpoint)).toEqual([
      expect.objectContaining({ status: "failed", lastStatusClass: "3xx", lastError: "redirects are not followed" }),
    ]);
  });

  it("continues the event's trace: the merchant receives its traceparent", async () => {
    const endpoint = await registerEndpoint(["order.refunded"]);
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    for (const message of await fanOut(
      jobMessage("order.refunded", {}, { traceparent: `00-${traceId}-b7ad6b7169203331-01` }),
    ))
      await runDelivery(message);
    const [request] = network.received.filter((candidate) => candidate.url === endpoint.url);
    expect(request?.headers.get("traceparent")).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });

  it("a network error or timeout is a failed attempt, retried", async () => {
    const endpoint = await registerEndpoint(["inventory.changed"]);
    network.answer = () => {
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    };
    const [message] = await fanOut(jobMessage("inventory.changed"));
    expect((await runDelivery(message!)).retried).toBe(5);
    expect(await deliveriesOf(endpoint)).toEqual([
      expect.objectContaining({ status: "failed", attempts: 1, lastStatusClass: null, lastError: "timed out" }),
    ]);
  });

  it("logs a connection failure as a fixed text, never the exception's (which names hosts and ports)", async () => {
    const endpoint = await registerEndpoint(["inventory.changed"]);
    network.answer = () => {
      throw new TypeError("connect ECONNREFUSED 10.0.0.7:5432");
    };
    const [message] = await fanOut(jobMessage("inventory.changed"));
    await runDelivery(message!);
    expect(await deliveriesOf(endpoint)).toEqual([
      expect.objectContaining({ status: "failed", lastError: "network error" }),
    ]);
  });

  it.each([
    ["loopback", { A: ["127.0.0.1"] }],
    ["a private address among public ones", { A: ["93.184.215.14", "10.0.0.7"] }],
    ["IPv6 link-local", { AAAA: ["fe80::1"] }],
    ["IPv6 unique-local", { AAAA: ["fd12:3456::1"] }],
    ["a CNAME to the metadata address", { CNAME: "metadata.example.net", A: ["169.254.169.254"] }],
    ["nothing (NXDOMAIN)", "NXDOMAIN"],
  ] as const)(
    "resolves the host before delivering and refuses one that resolves to %s, without retrying",
    async (_label, records) => {
      const endpoint = await registerEndpoint(["order.delivered"]);
      const host = new URL(endpoint.url).hostname;
      network.zone = (name) => (name === host ? records : testZone(name));
      const [message] = await fanOut(jobMessage("order.delivered"));
      expect(await runDelivery(message!)).toEqual({ acked: true });
      expect(network.received).toEqual([]);
      expect(await deliveriesOf(endpoint)).toEqual([
        expect.objectContaining({ status: "failed", attempts: 0, lastError: expect.stringMatching(/^refused: /) }),
      ]);
    },
  );

  it("retries when DNS cannot answer (SERVFAIL), delivering nothing meanwhile", async () => {
    const endpoint = await registerEndpoint(["order.refunded"]);
    const host = new URL(endpoint.url).hostname;
    network.zone = (name) => (name === host ? "SERVFAIL" : testZone(name));
    const [message] = await fanOut(jobMessage("order.refunded"));
    expect((await runDelivery(message!)).retried).toBe(5);
    expect(network.received).toEqual([]);
  });

  it("re-checks the URL at delivery time and refuses an unsafe one without retrying", async () => {
    const endpoint = await registerEndpoint(["user.registered"]);
    // e.g. a row written before the rules tightened
    await createDatabase(env.DB)
      .update(webhookEndpoints)
      .set({ url: "http://169.254.169.254/latest" })
      .where(eq(webhookEndpoints.id, endpoint.id));
    const [message] = await fanOut(jobMessage("user.registered"));
    expect(await runDelivery(message!)).toEqual({ acked: true });
    expect(network.received).toEqual([]);
    expect(await deliveriesOf(endpoint)).toEqual([
      expect.objectContaining({ status: "failed", attempts: 0, lastError: expect.stringContaining("refused") }),
    ]);
  });

  it("a redelivered event creates no second delivery", async () => {
    const endpoint = await registerEndpoint(["catalog.changed"]);
    const event = jobMessage("catalog.changed");
    const queue = recordingQueue();
    for (const attempts of [1, 2]) {
      const { message } = queueMessage(event, attempts);
      await handleQueueBatch(batchOf("motor-jobs", message), queue.env);
    }
    expect(await deliveriesOf(endpoint)).toHaveLength(1);
  });

  it("fans out a batch of events with one read of the endpoints", async () => {
    const endpoint = await registerEndpoint(["inventory.changed"]);
    const timings = new ServerTimings();
    const queue = recordingQueue();
    const counted = { ...queue.env, DB: timedD1(env.DB, timings) };
    const events = [1, 2, 3].map(() => jobMessage("inventory.changed"));
    await handleQueueBatch(batchOf("motor-jobs", ...events.map((event) => queueMessage(event).message)), counted);
    const deliveries = await deliveriesOf(endpoint);
    expect(deliveries.map((delivery) => delivery.eventId).sort()).toEqual(events.map((event) => event.id).sort());
    const enqueued = queue.sent
      .filter((message) => message.type === "webhook.delivery")
      .map((message) => message.data.deliveryId);
    expect(enqueued).toEqual(expect.arrayContaining(deliveries.map((delivery) => delivery.id)));
    // marks read + endpoints read + one delivery write per event + marks write
    expect(timings.count("d1")).toBe(1 + 1 + 3 + 1);
  });

  it("replays a delivery through the queue (202), and 404 for an unknown one", async () => {
    const endpoint = await registerEndpoint(["order.cancelled"]);
    for (const message of await fanOut(jobMessage("order.cancelled", { orderId: "ord_z", email: "z@example.test" })))
      await runDelivery(message);
    const [delivery] = await deliveriesOf(endpoint);
    const queue = recordingQueue();
    vi.spyOn(env.JOBS, "send").mockImplementation((body) => queue.env.JOBS.send(body));
    const replay = await callJson<Delivery>(`/v1/admin/webhooks/deliveries/${delivery!.id}/replay`, {
      method: "POST",
      token: endpoint.token,
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ id: delivery!.id, status: "pending" });
    expect(queue.sent).toEqual([
      expect.objectContaining({ type: "webhook.delivery", data: { deliveryId: delivery!.id } }),
    ]);
    await runDelivery(queue.sent[0]!);
    expect(await deliveriesOf(endpoint)).toEqual([expect.objectContaining({ status: "succeeded", attempts: 2 })]);
    expect(
      (await callJson("/v1/admin/webhooks/deliveries/dlv_nope/replay", { method: "POST", token: endpoint.token }))
        .status,
    ).toBe(404);
  });
});
