/**
 * A fake Stripe at the network boundary for tests: replaces globalThis.fetch and answers
 * PaymentIntents and Refunds like Stripe's test mode does (test payment methods, idempotent
 * replays by Idempotency-Key, card errors as 402). It records every request it saw.
 */
import { afterEach } from "vitest";

export interface SeenRequest {
  url: string;
  headers: Headers;
  form: URLSearchParams;
}

interface Answer {
  status: number;
  body: unknown;
}

const DECLINES: Record<string, string> = { pm_card_chargeDeclined: "generic_decline", pm_card_insufficientFunds: "insufficient_funds" };

export function installFakeStripe(override?: (request: SeenRequest) => Answer | Promise<Answer> | undefined) {
  const seen: SeenRequest[] = [];
  const replays = new Map<string, Answer>();
  const intents = new Map<string, number>();
  let counter = 0;
  const original = globalThis.fetch;

  const answer = (request: SeenRequest): Answer => {
    const { pathname } = new URL(request.url);
    if (pathname === "/v1/payment_intents") {
      const method = request.form.get("payment_method") ?? "";
      const decline = DECLINES[method];
      if (decline) return { status: 402, body: { error: { type: "card_error", code: "card_declined", decline_code: decline, message: "Your card was declined." } } };
      if (method !== "pm_card_visa") return { status: 400, body: { error: { type: "invalid_request_error", code: "resource_missing", message: `No such payment_method: '${method}'` } } };
      const id = `pi_fake${++counter}`;
      intents.set(id, Number(request.form.get("amount")));
      return { status: 200, body: { id, object: "payment_intent", status: "succeeded", amount: intents.get(id) } };
    }
    if (pathname === "/v1/refunds") {
      const amount = Number(request.form.get("amount") ?? intents.get(request.form.get("payment_intent") ?? ""));
      return { status: 200, body: { id: `re_fake${++counter}`, object: "refund", amount, status: "succeeded" } };
    }
    return { status: 404, body: { error: { type: "invalid_request_error", message: "Unrecognized request URL" } } };
  };

  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const seenRequest = { url: request.url, headers: request.headers, form: new URLSearchParams(await request.text()) };
    seen.push(seenRequest);
    const key = `${new URL(request.url).pathname} ${request.headers.get("Idempotency-Key")}`;
    // like a real fetch, give up when the caller's signal aborts (the adapter's timeout)
    const result = (await abortable(Promise.resolve(override?.(seenRequest)), init?.signal)) ?? replays.get(key) ?? answer(seenRequest);
    if (result.status < 500) replays.set(key, result); // Stripe does not store 5xx answers
    return Response.json(result.body, { status: result.status });
  };
  afterEach(() => {
    globalThis.fetch = original;
  });
  return {
    seen,
    /** Distinct payment intents Stripe created (a replayed key creates none). */
    chargesCreated: () => intents.size,
  };
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return work;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true })),
  ]);
}
