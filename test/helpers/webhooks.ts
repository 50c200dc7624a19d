/**
 * Merchant webhooks at the network boundary, for tests. One fetch double stands for the whole
 * network: DNS-over-HTTPS lookups (which the SSRF guard makes before every delivery) are answered
 * as 1.1.1.1 would, from a fake zone (every *.example.test name is one public address unless a
 * test says otherwise), and are kept apart from the deliveries, which the merchant side records
 * and answers as the test says. Plus the steps of a delivery: register an endpoint, fan an event
 * out, run one delivery message.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, expect, vi } from "vitest";
import { fakeDohAnswer, testZone, type Zone } from "../../src/modules/webhooks/dns.fixtures";
import { newId } from "../../src/platform/ids";
import { handleQueueBatch } from "../../src/queues";
import type { JobMessage } from "../../src/queues/messages";
import { createUser } from "./auth";
import { callJson } from "./http";
import { batchOf, queueMessage, quietly, recordingQueue } from "./queue";

export interface MerchantNetwork {
  /** Delivery requests, in order; DNS lookups are not in here. */
  received: Request[];
  /** The host name of every DoH query (A and AAAA alike). */
  lookups: string[];
  /** The merchant side's answer to a delivery. */
  answer: (request: Request) => Response;
  /** What DNS knows. */
  zone: Zone;
}

/**
 * Puts the network double in place of the global fetch around every test of the calling file
 * (mocks restored after each); the returned object is reset before each test.
 */
export function merchantNetworkPerTest(): MerchantNetwork {
  const network: MerchantNetwork = { received: [], lookups: [], answer: () => new Response("ok"), zone: testZone };
  beforeEach(() => {
    Object.assign(network, { received: [], lookups: [], answer: () => new Response("ok"), zone: testZone });
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        const dns = fakeDohAnswer(request, network.zone);
        if (dns) {
          network.lookups.push(new URL(request.url).searchParams.get("name") ?? "");
          return dns;
        }
        network.received.push(request);
        return network.answer(request);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
  return network;
}

export type Delivery = {
  id: string;
  eventId: string;
  status: string;
  attempts: number;
  lastStatusClass: string | null;
  lastError: string | null;
};

export async function registerEndpoint(events: string[]) {
  const admin = await createUser("admin");
  const url = `http://${newId("m").toLowerCase()}.example.test/hooks/motor`;
  const { status, body } = await callJson<{ id: string; secret: string }>("/v1/admin/webhooks", {
    token: admin.token,
    body: { url, events },
  });
  expect(status).toBe(201);
  return { ...body, url, token: admin.token };
}

/** Runs the fan-out for `event`; returns the delivery messages it enqueued. */
export async function fanOut(event: JobMessage) {
  const queue = recordingQueue();
  const { message } = queueMessage(event);
  await handleQueueBatch(batchOf("motor-jobs", message), queue.env);
  return queue.sent;
}

export async function runDelivery(message: JobMessage, attempts = 1) {
  const { message: runtime, outcome } = queueMessage(message, attempts);
  await quietly(() => handleQueueBatch(batchOf("motor-jobs", runtime), env));
  return outcome;
}

export const deliveriesOf = async (endpoint: { id: string; token: string }) =>
  (await callJson<{ data: Delivery[] }>(`/v1/admin/webhooks/${endpoint.id}/deliveries`, { token: endpoint.token })).body
    .data;
