/**
 * One delivery attempt: re-check the URL (rules may have tightened since registration), sign the
 * stored payload with a fresh timestamp, POST it without following redirects and with a timeout,
 * and log the outcome. Returns whether the queue should retry.
 * Each destination (endpoint) has its own circuit breaker: while a merchant is down its deliveries
 * fail at once, without a request, and the queue retries them later with backoff; other
 * merchants are not affected. A POST to a merchant is not retried inline: the queue's retry with
 * backoff is the retry, and the merchant dedupes by `Motor-Event-Id`.
 */
import type { Database } from "../../db/client";
import type { Config } from "../../env";
import { withTraceHeaders } from "../../platform/observability/trace";
import { breakersOf } from "../../platform/resilience/breakers";
import { BreakerOpenError } from "../../platform/resilience/circuit-breaker";
import { allowsHttp, assertSafeWebhookUrl, UnsafeUrlError } from "./url-guard";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";
import { type DeliveryRow, type EndpointRow, updateDelivery } from "./webhooks.repository";

export type DeliveryOutcome = { ok: true } | { ok: false; retry: boolean; error: string };

interface PostResult {
  status: number | null;
  error: string | null;
}

/** A destination that cannot be reached or answers 5xx is down (a breaker failure); a 4xx or a redirect is an answer. */
class DestinationDown extends Error {
  constructor(readonly result: PostResult) {
    super(result.error ?? "destination down");
  }
}

async function post(endpoint: EndpointRow, delivery: DeliveryRow, now: number, timeoutMs: number): Promise<PostResult> {
  try {
    const response = await fetch(endpoint.url, {
      method: "POST",
      headers: withTraceHeaders({
        "Content-Type": "application/json",
        "User-Agent": "Motor-Webhooks/1",
        [SIGNATURE_HEADER]: await signatureHeader(endpoint.secret, delivery.payload, Math.floor(now / 1000)),
        "Motor-Event-Id": delivery.eventId,
        "Motor-Event-Type": delivery.eventType,
        "Motor-Delivery-Id": delivery.id,
      }),
      body: delivery.payload,
      // a redirect could point anywhere (an internal address included): it counts as a failure
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { status: response.status, error: null };
    return { status: response.status, error: response.status >= 300 && response.status < 400 ? "redirects are not followed" : `answered ${response.status}` };
  } catch (error) {
    return { status: null, error: String(error).slice(0, 500) };
  }
}

/** Posts through the destination's breaker; an open breaker answers without a request. */
async function guardedPost(config: Config, endpoint: EndpointRow, delivery: DeliveryRow, now: number): Promise<PostResult> {
  const breaker = breakersOf(config).get(`webhook:${endpoint.id}`);
  try {
    return await breaker.run(async () => {
      const result = await post(endpoint, delivery, now, config.OBSERVABILITY.timeouts.webhookMs);
      if (result.status === null || result.status >= 500) throw new DestinationDown(result);
      return result;
    });
  } catch (failure) {
    if (failure instanceof DestinationDown) return failure.result;
    if (failure instanceof BreakerOpenError) return { status: null, error: "not sent: the destination is failing (circuit open)" };
    throw failure;
  }
}

export async function attemptDelivery(db: Database, config: Config, endpoint: EndpointRow, delivery: DeliveryRow, now = Date.now()): Promise<DeliveryOutcome> {
  try {
    assertSafeWebhookUrl(endpoint.url, { allowHttp: allowsHttp(config.APP_ENV) });
  } catch (error) {
    if (!(error instanceof UnsafeUrlError)) throw error;
    // permanent: retrying cannot make the URL safe
    await updateDelivery(db, delivery.id, { status: "failed", lastStatusCode: null, lastError: `refused: ${error.message}`, updatedAt: now });
    return { ok: false, retry: false, error: error.message };
  }
  const result = await guardedPost(config, endpoint, delivery, now);
  const ok = result.error === null;
  await updateDelivery(db, delivery.id, { status: ok ? "succeeded" : "failed", attempts: delivery.attempts + 1, lastStatusCode: result.status, lastError: result.error, updatedAt: Date.now() });
  return ok ? { ok: true } : { ok: false, retry: true, error: result.error ?? "failed" };
}
