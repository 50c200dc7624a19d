/**
 * One delivery attempt: re-check the URL and resolve its host (url-guard.ts), sign the stored payload
 * with a fresh timestamp, POST it without following redirects and with a timeout, and log the outcome
 * as a status class and a fixed error text, so the log is no oracle for probing networks. Each
 * endpoint has its own circuit breaker, and the queue's retry with backoff is the only retry (the
 * merchant dedupes by `Motor-Event-Id`). docs/async.md, "Merchant webhooks".
 */
import type { Database } from "../../db/client";
import type { Config } from "../../env";
import { withTraceHeaders } from "../../platform/observability/trace";
import { breakersOf } from "../../platform/resilience/breakers";
import { BreakerOpenError } from "../../platform/resilience/circuit-breaker";
import type { HostResolver } from "./dns-resolver";
import { allowsHttp, assertSafeWebhookTarget, UnsafeUrlError } from "./url-guard";
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
    return {
      status: response.status,
      error:
        response.status >= 300 && response.status < 400
          ? "redirects are not followed"
          : `answered ${statusClass(response.status)}`,
    };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { status: null, error: timedOut ? "timed out" : "network error" };
  }
}

/** Posts through the destination's breaker; an open breaker answers without a request. */
async function guardedPost(
  config: Config,
  endpoint: EndpointRow,
  delivery: DeliveryRow,
  now: number,
): Promise<PostResult> {
  const breaker = breakersOf(config).get(`webhook:${endpoint.id}`);
  try {
    return await breaker.run(async () => {
      const result = await post(endpoint, delivery, now, config.OBSERVABILITY.timeouts.webhookMs);
      if (result.status === null || result.status >= 500) throw new DestinationDown(result);
      return result;
    });
  } catch (failure) {
    if (failure instanceof DestinationDown) return failure.result;
    if (failure instanceof BreakerOpenError)
      return { status: null, error: "not sent: the destination is failing (circuit open)" };
    throw failure;
  }
}

export type StatusClass = "1xx" | "2xx" | "3xx" | "4xx" | "5xx";

/** 204 → "2xx": what the delivery log shows of an answer. */
export function statusClass(status: number | null): StatusClass | null {
  return status === null ? null : (`${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx` as StatusClass);
}

export interface DeliveryContext {
  config: Config;
  resolver: HostResolver;
  now?: number;
}

export async function attemptDelivery(
  db: Database,
  context: DeliveryContext,
  endpoint: EndpointRow,
  delivery: DeliveryRow,
): Promise<DeliveryOutcome> {
  const now = context.now ?? Date.now();
  try {
    // a DNS failure is not an UnsafeUrlError: it propagates and the queue retries
    await assertSafeWebhookTarget(endpoint.url, {
      allowHttp: allowsHttp(context.config.APP_ENV),
      resolver: context.resolver,
    });
  } catch (error) {
    if (!(error instanceof UnsafeUrlError)) throw error;
    // permanent: retrying cannot make the URL safe
    await updateDelivery(db, delivery.id, {
      status: "failed",
      lastStatusCode: null,
      lastError: `refused: ${error.message}`,
      updatedAt: now,
    });
    return { ok: false, retry: false, error: error.message };
  }
  const result = await guardedPost(context.config, endpoint, delivery, now);
  const ok = result.error === null;
  await updateDelivery(db, delivery.id, {
    status: ok ? "succeeded" : "failed",
    attempts: delivery.attempts + 1,
    lastStatusCode: result.status,
    lastError: result.error,
    updatedAt: Date.now(),
  });
  return ok ? { ok: true } : { ok: false, retry: true, error: result.error ?? "failed" };
}
