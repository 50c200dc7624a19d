/**
 * A fake Stripe at the network boundary for tests: replaces globalThis.fetch and behaves like
 * Stripe's test mode where money safety depends on it:
 * - idempotency per key: the same key and parameters replay the first answer; the same key with
 *   other parameters is a 400 `idempotency_error`; keys are forgotten after 24 h (its own clock);
 * - PaymentIntents with metadata, refunds that never exceed the charge, and the list endpoint
 *   (with `latest_charge.amount_refunded`) that reconciliation reads;
 * - `pm_card_slowSuccess`: the intent succeeds but the answer never comes (the client gives up);
 * - `pm_card_processing`: the intent answers `processing`, and is `succeeded` when read again.
 * It records every request it saw.
 */
import { afterEach } from "vitest";

export interface SeenRequest {
  url: string;
  method: string;
  headers: Headers;
  form: URLSearchParams;
}

interface Answer {
  status: number;
  body: unknown;
}

interface Intent {
  id: string;
  object: "payment_intent";
  amount: number;
  currency: string;
  status: string;
  created: number;
  metadata: Record<string, string>;
  refunded: number;
}

const DECLINES: Record<string, string> = { pm_card_chargeDeclined: "generic_decline", pm_card_insufficientFunds: "insufficient_funds" };
const SUCCEEDING = new Set(["pm_card_visa", "pm_card_slowSuccess", "pm_card_processing"]);
const KEY_TTL_MS = 24 * 60 * 60 * 1000;
const NEVER = Symbol("never answers");

type Outcome = { answer: Answer; hang?: boolean };

const stripeError = (status: number, error: Record<string, string>): Answer => ({ status, body: { error } });

export function installFakeStripe(override?: (request: SeenRequest) => Answer | Promise<Answer> | undefined, options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const seen: SeenRequest[] = [];
  const keys = new Map<string, { params: string; answer: Answer; at: number }>();
  const intents = new Map<string, Intent>();
  let counter = 0;
  const original = globalThis.fetch;

  const view = (intent: Intent) => ({ ...intent, latest_charge: { amount_refunded: intent.refunded } });

  const createIntent = (form: URLSearchParams): Outcome => {
    const method = form.get("payment_method") ?? "";
    const decline = DECLINES[method];
    if (decline) return { answer: stripeError(402, { type: "card_error", code: "card_declined", decline_code: decline, message: "Your card was declined." }) };
    if (!SUCCEEDING.has(method)) return { answer: stripeError(400, { type: "invalid_request_error", code: "resource_missing", message: `No such payment_method: '${method}'` }) };
    const metadata = Object.fromEntries([...form].filter(([name]) => name.startsWith("metadata[")).map(([name, value]) => [name.slice(9, -1), value]));
    const intent: Intent = {
      id: `pi_fake${++counter}`, object: "payment_intent", amount: Number(form.get("amount")), currency: form.get("currency") ?? "",
      status: method === "pm_card_processing" ? "processing" : "succeeded", created: Math.floor(now() / 1000), metadata, refunded: 0,
    };
    intents.set(intent.id, intent);
    const answer = { status: 200, body: { ...view(intent) } };
    // it settles after answering `processing`: a later read sees it succeeded
    if (intent.status === "processing") intent.status = "succeeded";
    return { answer, hang: method === "pm_card_slowSuccess" };
  };

  const refund = (form: URLSearchParams): Outcome => {
    const intent = intents.get(form.get("payment_intent") ?? "");
    if (!intent || intent.status !== "succeeded") return { answer: stripeError(400, { type: "invalid_request_error", code: "resource_missing", message: "No such payment_intent" }) };
    const amount = Number(form.get("amount") ?? intent.amount - intent.refunded);
    if (amount <= 0 || intent.refunded + amount > intent.amount) return { answer: stripeError(400, { type: "invalid_request_error", code: "charge_already_refunded", message: "Refund exceeds the charge" }) };
    intent.refunded += amount;
    return { answer: { status: 200, body: { id: `re_fake${++counter}`, object: "refund", amount, status: "succeeded" } } };
  };

  const list = (url: URL): Answer => {
    const since = Number(url.searchParams.get("created[gte]") ?? 0);
    const all = [...intents.values()].filter((intent) => intent.created >= since).reverse(); // newest first, like Stripe
    const after = url.searchParams.get("starting_after");
    const start = after ? all.findIndex((intent) => intent.id === after) + 1 : 0;
    const limit = Number(url.searchParams.get("limit") ?? 10);
    const page = all.slice(start, start + limit);
    return { status: 200, body: { object: "list", data: page.map(view), has_more: start + limit < all.length } };
  };

  const write = (request: SeenRequest, act: (form: URLSearchParams) => Outcome): Answer | typeof NEVER => {
    const key = `${new URL(request.url).pathname} ${request.headers.get("Idempotency-Key")}`;
    const params = [...request.form].sort().join("&");
    const stored = keys.get(key);
    if (stored && now() - stored.at < KEY_TTL_MS) {
      if (stored.params !== params) return stripeError(400, { type: "idempotency_error", message: "Keys for idempotent requests can only be used with the same parameters they were first used with." });
      return stored.answer;
    }
    // what Stripe did is stored even when the client gave up waiting for it: the replay answers it
    const { answer, hang } = act(request.form);
    if (answer.status < 500) keys.set(key, { params, answer, at: now() }); // Stripe does not store 5xx answers
    return hang ? NEVER : answer;
  };

  const answer = (request: SeenRequest): Answer | typeof NEVER => {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/v1/payment_intents") return list(url);
    if (request.method === "GET" && url.pathname.startsWith("/v1/payment_intents/")) {
      const intent = intents.get(url.pathname.slice("/v1/payment_intents/".length));
      return intent ? { status: 200, body: view(intent) } : stripeError(404, { type: "invalid_request_error", code: "resource_missing" });
    }
    if (url.pathname === "/v1/payment_intents") return write(request, createIntent);
    if (url.pathname === "/v1/refunds") return write(request, refund);
    return stripeError(404, { type: "invalid_request_error", message: "Unrecognized request URL" });
  };

  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const seenRequest = { url: request.url, method: request.method, headers: request.headers, form: new URLSearchParams(request.method === "GET" ? "" : await request.text()) };
    seen.push(seenRequest);
    const result = (await abortable(Promise.resolve(override?.(seenRequest)), init?.signal)) ?? answer(seenRequest);
    if (result === NEVER) return abortable(new Promise<never>(() => undefined), init?.signal);
    return Response.json(result.body, { status: result.status });
  };
  afterEach(() => {
    globalThis.fetch = original;
  });
  return {
    seen,
    /** Distinct payment intents Stripe created (a replayed key creates none). */
    chargesCreated: () => intents.size,
    intents,
  };
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return work;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true })),
  ]);
}
