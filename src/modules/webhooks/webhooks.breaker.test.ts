import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { jobMessage } from "../../../test/helpers/queue";
import {
  deliveriesOf,
  fanOut,
  merchantNetworkPerTest,
  registerEndpoint,
  runDelivery,
} from "../../../test/helpers/webhooks";
import { configOf } from "../../env";

/**
 * Each merchant destination has its own breaker, with the thresholds of the suite's config (the
 * defaults: this file never changes them). Every destination's host is resolved over DoH before
 * each attempt, so the double answers those lookups and counts the deliveries apart from them.
 */
const { failureThreshold, openMs } = configOf(env).OBSERVABILITY.breaker;
/** Every loop below runs about `failureThreshold` times: a huge threshold fails here instead of hanging. */
const MAX_EVENTS = 50;

const network = merchantNetworkPerTest();

const EVENT = "slo.burning";
const down = () => new Response("down", { status: 503 });
const sentTo = (endpoint: { url: string }) => network.received.filter((request) => request.url === endpoint.url);
const lookupsOf = (endpoint: { url: string }) =>
  network.lookups.filter((name) => name === new URL(endpoint.url).hostname);

/** Fans out `count` events and runs every delivery message they make, one event after the other. */
async function deliverEvents(count: number): Promise<void> {
  expect(count).toBeLessThanOrEqual(MAX_EVENTS);
  for (let event = 0; event < count; event++) {
    for (const message of await fanOut(jobMessage(EVENT))) await runDelivery(message);
  }
}

/**
 * Date.now, which the breakers read, stopped, and moved only by the test: "1 ms before the
 * cool-down ends" holds however long the deliveries take. Installed before the destination's
 * breaker exists (a breaker keeps the clock it was built with).
 */
function stoppedClock() {
  let now = Date.now();
  vi.spyOn(Date, "now").mockImplementation(() => now);
  return {
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** A destination whose breaker has just opened: `failureThreshold` consecutive deliveries answered 503. */
async function failingDestination() {
  const endpoint = await registerEndpoint([EVENT]);
  network.answer = (request) => (request.url === endpoint.url ? down() : new Response("ok"));
  await deliverEvents(failureThreshold);
  expect(sentTo(endpoint)).toHaveLength(failureThreshold);
  return endpoint;
}

describe("a merchant destination's circuit breaker", () => {
  it("stops calling a destination after its threshold of consecutive failures, without affecting other merchants", async () => {
    const healthy = await registerEndpoint([EVENT]);
    const failing = await failingDestination();
    const lookedUp = lookupsOf(failing).length;
    await deliverEvents(1);
    expect(sentTo(failing)).toHaveLength(failureThreshold); // short-circuited: no request
    expect(lookupsOf(failing).length).toBeGreaterThan(lookedUp); // it passed the SSRF check like every attempt; the breaker stopped it
    expect(sentTo(healthy)).toHaveLength(failureThreshold + 1);
    const refused = (await deliveriesOf(failing)).filter((delivery) => delivery.lastError?.includes("circuit open"));
    expect(refused).toEqual([expect.objectContaining({ status: "failed", lastStatusClass: null })]);
    expect((await deliveriesOf(healthy)).every((delivery) => delivery.status === "succeeded")).toBe(true);
  });

  it("leaves a short-circuited delivery to the queue's retry with backoff", async () => {
    const failing = await failingDestination();
    const [message] = await fanOut(jobMessage(EVENT));
    const outcome = await runDelivery(message!);
    expect(sentTo(failing)).toHaveLength(failureThreshold);
    expect(outcome.retried).toBeGreaterThan(0);
  });

  it("half-opens after the cool-down: one trial delivery goes out, and its success closes the breaker", async () => {
    const clock = stoppedClock();
    const failing = await failingDestination();
    clock.advance(openMs - 1);
    await deliverEvents(1);
    expect(sentTo(failing)).toHaveLength(failureThreshold); // still open until the cool-down ends
    clock.advance(1);
    network.answer = () => new Response("ok");
    await deliverEvents(1);
    expect(sentTo(failing)).toHaveLength(failureThreshold + 1); // the trial
    await deliverEvents(1);
    expect(sentTo(failing)).toHaveLength(failureThreshold + 2); // closed again
  });

  it("opens again for another cool-down when the half-open trial fails", async () => {
    const clock = stoppedClock();
    const failing = await failingDestination();
    clock.advance(openMs);
    await deliverEvents(1);
    expect(sentTo(failing)).toHaveLength(failureThreshold + 1); // the trial, answered 503
    await deliverEvents(1);
    expect(sentTo(failing)).toHaveLength(failureThreshold + 1);
    clock.advance(openMs);
    await deliverEvents(1);
    expect(sentTo(failing)).toHaveLength(failureThreshold + 2);
  });
});
