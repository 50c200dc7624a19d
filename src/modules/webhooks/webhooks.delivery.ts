/**
 * One delivery attempt: re-check the URL and resolve its host (url-guard.ts), sign the stored
 * payload with a fresh timestamp, POST it without following redirects and with a timeout, and log
 * the outcome. Returns whether the queue should retry.
 * The log must not become an oracle for probing networks: it records the status (shown to admins
 * as its class, 2xx…5xx) and one of a few fixed error texts — never a body, never an exception's
 * text (which can name addresses and ports).
 */
import type { Database } from "../../db/client";
import type { HostResolver } from "./dns-resolver";
import { allowsHttp, assertSafeWebhookTarget, UnsafeUrlError } from "./url-guard";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";
import { type DeliveryRow, type EndpointRow, updateDelivery } from "./webhooks.repository";

export const DELIVERY_TIMEOUT_MS = 10_000;

export type DeliveryOutcome = { ok: true } | { ok: false; retry: boolean; error: string };

async function post(endpoint: EndpointRow, delivery: DeliveryRow, now: number): Promise<{ status: number | null; error: string | null }> {
  try {
    const response = await fetch(endpoint.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Motor-Webhooks/1",
        [SIGNATURE_HEADER]: await signatureHeader(endpoint.secret, delivery.payload, Math.floor(now / 1000)),
        "Motor-Event-Id": delivery.eventId,
        "Motor-Event-Type": delivery.eventType,
        "Motor-Delivery-Id": delivery.id,
      },
      body: delivery.payload,
      // a redirect could point anywhere (an internal address included): it counts as a failure
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { status: response.status, error: null };
    return { status: response.status, error: response.status >= 300 && response.status < 400 ? "redirects are not followed" : `answered ${statusClass(response.status)}` };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { status: null, error: timedOut ? "timed out" : "network error" };
  }
}

export type StatusClass = "1xx" | "2xx" | "3xx" | "4xx" | "5xx";

/** 204 → "2xx": what the delivery log shows of an answer. */
export function statusClass(status: number | null): StatusClass | null {
  return status === null ? null : (`${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx` as StatusClass);
}

export interface DeliveryContext {
  appEnv: string;
  resolver: HostResolver;
  now?: number;
}

export async function attemptDelivery(db: Database, context: DeliveryContext, endpoint: EndpointRow, delivery: DeliveryRow): Promise<DeliveryOutcome> {
  const now = context.now ?? Date.now();
  try {
    // a DNS failure is not an UnsafeUrlError: it propagates and the queue retries
    await assertSafeWebhookTarget(endpoint.url, { allowHttp: allowsHttp(context.appEnv), resolver: context.resolver });
  } catch (error) {
    if (!(error instanceof UnsafeUrlError)) throw error;
    // permanent: retrying cannot make the URL safe
    await updateDelivery(db, delivery.id, { status: "failed", lastStatusCode: null, lastError: `refused: ${error.message}`, updatedAt: now });
    return { ok: false, retry: false, error: error.message };
  }
  const result = await post(endpoint, delivery, now);
  const ok = result.error === null;
  await updateDelivery(db, delivery.id, { status: ok ? "succeeded" : "failed", attempts: delivery.attempts + 1, lastStatusCode: result.status, lastError: result.error, updatedAt: Date.now() });
  return ok ? { ok: true } : { ok: false, retry: true, error: result.error ?? "failed" };
}
