/**
 * One delivery attempt: re-check the URL (rules may have tightened since registration), sign the
 * stored payload with a fresh timestamp, POST it without following redirects and with a timeout,
 * and log the outcome. Returns whether the queue should retry.
 */
import type { Database } from "../../db/client";
import { allowsHttp, assertSafeWebhookUrl, UnsafeUrlError } from "./url-guard";
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
    return { status: response.status, error: response.status >= 300 && response.status < 400 ? "redirects are not followed" : `answered ${response.status}` };
  } catch (error) {
    return { status: null, error: String(error).slice(0, 500) };
  }
}

export async function attemptDelivery(db: Database, appEnv: string, endpoint: EndpointRow, delivery: DeliveryRow, now = Date.now()): Promise<DeliveryOutcome> {
  try {
    assertSafeWebhookUrl(endpoint.url, { allowHttp: allowsHttp(appEnv) });
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
