/**
 * A fake Stripe at the network boundary for tests: replaces globalThis.fetch and behaves like
 * Stripe's test mode where money safety depends on it:
 * - idempotency per key: the same key and parameters replay the first answer; the same key with
 *   other parameters is a 400 `idempotency_error`; keys are forgotten after 24 h (its own clock);
 * - PaymentIntents with metadata, refunds that never exceed the charge, and the list endpoint
 *   (with `latest_charge.amount_refunded`) that reconciliation reads;
 * - `pm_card_slowSuccess`: the intent succeeds but the answer never comes (the client gives up);
 * - `pm_card_processing`: the intent answers `processing`, and is `succeeded` when read again;
 * - `pm_card_rateLimitedResend`: the intent succeeds, the answer never comes, and a re-send under
 *   the key is a 429 (rate limits answer before the key is looked at);
 * - `pm_card_refundPendingFails`: its refunds answer `pending`, and `failRefund` fails one later;
 * - search by `metadata['motor_checkout_id']` (`GET /v1/payment_intents/search`);
 * - `pm_card_threeDSecureRequired` / `pm_card_threeDSecureFail`: the intent answers `requires_action`
 *   (`redirect_to_url` when a `return_url` came — which Stripe accepts only with `confirm=true` —
 *   else `use_stripe_sdk`); `authenticate(id, succeeds)` is the buyer; `POST …/{id}/cancel` cancels
 *   an intent that has not succeeded (a succeeded one is a 400 `payment_intent_unexpected_state`).
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
  client_secret: string;
  next_action?: Record<string, unknown>;
  last_payment_error?: Record<string, string>;
  /** Not Stripe's: the fake's note that this intent's authentication always fails. */
  failsAuthentication: boolean;
}

const DECLINES: Record<string, string> = { pm_card_chargeDeclined: "generic_decline", pm_card_insufficientFunds: "insufficient_funds" };
const SUCCEEDING = new Set(["pm_card_visa", "pm_card_slowSuccess", "pm_card_processing", "pm_card_rateLimitedResend", "pm_card_refundPendingFails"]);
/** Need the buyer (3-D Secure); the second's authentication always fails. */
const AUTHENTICATING = new Set(["pm_card_threeDSecureRequired", "pm_card_threeDSecureFail"]);
/** Its refunds answer `pending`; `failRefund(id)` later fails one (the money comes back to the charge). */
const REFUND_PENDING_FAILS = "pm_card_refundPendingFails";
/** Charged, the answer never comes, and every re-send under its key is a 429 (Stripe rate-limits before it reads the key). */
const RATE_LIMITED_RESEND = "pm_card_rateLimitedResend";
const KEY_TTL_MS = 24 * 60 * 60 * 1000;
const NEVER = Symbol("never answers");

type Outcome = { answer: Answer; hang?: boolean };

const stripeError = (status: number, error: Record<string, string>): Answer => ({ status, body: { error } });

export function installFakeStripe(override?: (request: SeenRequest) => Answer | Promise<Answer> | undefined, options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const seen: SeenRequest[] = [];
  const keys = new Map<string, { params: string; answer: Answer; at: number }>();
  const intents = new Map<string, Intent>();
  const refunds = new Map<string, { id: string; intent: Intent; amount: number; status: string }>();
  const pendingIntents = new Set<string>();
  let counter = 0;
  const original = globalThis.fetch;

  const view = ({ failsAuthentication: _fails, ...intent }: Intent) => ({ ...intent, latest_charge: { amount_refunded: intent.refunded } });

  const createIntent = (form: URLSearchParams): Outcome => {
    const method = form.get("payment_method") ?? "";
    const decline = DECLINES[method];
    if (decline) return { answer: stripeError(402, { type: "card_error", code: "card_declined", decline_code: decline, message: "Your card was declined." }) };
    if (!SUCCEEDING.has(method) && !AUTHENTICATING.has(method)) return { answer: stripeError(400, { type: "invalid_request_error", code: "resource_missing", message: `No such payment_method: '${method}'` }) };
    const returnUrl = form.get("return_url");
    if (returnUrl !== null && (form.get("confirm") !== "true" || !URL.canParse(returnUrl))) {
      return { answer: stripeError(400, { type: "invalid_request_error", param: "return_url", message: "return_url must be a URL, and can only be passed with confirm=true" }) };
    }
    const metadata = Object.fromEntries([...form].filter(([name]) => name.startsWith("metadata[")).map(([name, value]) => [name.slice(9, -1), value]));
    const id = `pi_fake${++counter}`;
    const waits = AUTHENTICATING.has(method);
    const intent: Intent = {
      id, object: "payment_intent", amount: Number(form.get("amount")), currency: form.get("currency") ?? "",
      status: waits ? "requires_action" : method === "pm_card_processing" ? "processing" : "succeeded", created: Math.floor(now() / 1000), metadata, refunded: 0,
      client_secret: `${id}_secret_fake`,
      ...(waits ? { next_action: returnUrl ? { type: "redirect_to_url", redirect_to_url: { url: `https://hooks.stripe.com/3d_secure_2/authenticate/${id}`, return_url: returnUrl } } : { type: "use_stripe_sdk", use_stripe_sdk: {} } } : {}),
      failsAuthentication: method === "pm_card_threeDSecureFail",
    };
    intents.set(intent.id, intent);
    if (method === REFUND_PENDING_FAILS) pendingIntents.add(intent.id);
    const answer = { status: 200, body: { ...view(intent) } };
    // it settles after answering `processing`: a later read sees it succeeded
    if (intent.status === "processing") intent.status = "succeeded";
    return { answer, hang: method === "pm_card_slowSuccess" || method === RATE_LIMITED_RESEND };
  };

  /** `POST /v1/payment_intents/{id}/cancel`: an intent that has not succeeded is cancelled; a succeeded one cannot be. */
  const cancel = (id: string) => (): Outcome => {
    const intent = intents.get(id);
    if (!intent) return { answer: stripeError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such payment_intent: '${id}'` }) };
    if (intent.status === "succeeded" || intent.status === "processing") {
      return { answer: stripeError(400, { type: "invalid_request_error", code: "payment_intent_unexpected_state", message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.` }) };
    }
    intent.status = "canceled";
    delete intent.next_action;
    return { answer: { status: 200, body: view(intent) } };
  };

  const refund = (form: URLSearchParams): Outcome => {
    const intent = intents.get(form.get("payment_intent") ?? "");
    if (!intent || intent.status !== "succeeded") return { answer: stripeError(400, { type: "invalid_request_error", code: "resource_missing", message: "No such payment_intent" }) };
    const amount = Number(form.get("amount") ?? intent.amount - intent.refunded);
    if (amount <= 0 || intent.refunded + amount > intent.amount) return { answer: stripeError(400, { type: "invalid_request_error", code: "charge_already_refunded", message: "Refund exceeds the charge" }) };
    intent.refunded += amount;
    const made = { id: `re_fake${++counter}`, intent, amount, status: pendingIntents.has(intent.id) ? "pending" : "succeeded" };
    refunds.set(made.id, made);
    return { answer: { status: 200, body: { id: made.id, object: "refund", amount, status: made.status, payment_intent: intent.id } } };
  };

  /** Stripe's list, strictly: `limit` 1–100 (default 10), `created[gte|gt|lte|lt]`, `starting_after` an existing id; newest first. */
  const list = (url: URL): Answer => {
    const params = url.searchParams;
    const invalid = (message: string) => stripeError(400, { type: "invalid_request_error", message });
    const limit = Number(params.get("limit") ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalid("Invalid limit: must be between 1 and 100");
    const bounds: [string, (created: number, bound: number) => boolean][] = [["gte", (c, b) => c >= b], ["gt", (c, b) => c > b], ["lte", (c, b) => c <= b], ["lt", (c, b) => c < b]];
    const after = params.get("starting_after");
    if (after !== null && !intents.has(after)) return stripeError(400, { type: "invalid_request_error", code: "resource_missing", message: `No such payment_intent: '${after}'` });
    const ordered = [...intents.values()].reverse(); // newest first, like Stripe (creation order)
    let all = after ? ordered.slice(ordered.findIndex((intent) => intent.id === after) + 1) : ordered;
    for (const [name, holds] of bounds) {
      const raw = params.get(`created[${name}]`);
      if (raw === null) continue;
      const bound = Number(raw);
      if (!Number.isInteger(bound)) return invalid(`Invalid integer: created[${name}]`);
      all = all.filter((intent) => holds(intent.created, bound));
    }
    const page = all.slice(0, limit);
    return { status: 200, body: { object: "list", data: page.map(view), has_more: limit < all.length } };
  };

  const write = (request: SeenRequest, act: (form: URLSearchParams) => Outcome): Answer | typeof NEVER => {
    const key = `${new URL(request.url).pathname} ${request.headers.get("Idempotency-Key")}`;
    const params = [...request.form].sort().join("&");
    const stored = keys.get(key);
    if (stored && request.form.get("payment_method") === RATE_LIMITED_RESEND) return stripeError(429, { type: "invalid_request_error", code: "rate_limit", message: "Too many requests" });
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
    if (request.method === "GET" && url.pathname === "/v1/payment_intents/search") {
      // only the query Motor sends: metadata['motor_checkout_id']:'<id>'
      const wanted = /^metadata\['motor_checkout_id'\]:'([^']*)'$/.exec(url.searchParams.get("query") ?? "")?.[1];
      if (wanted === undefined) return stripeError(400, { type: "invalid_request_error", message: "Unsupported search query" });
      const found = [...intents.values()].filter((intent) => intent.metadata.motor_checkout_id === wanted).reverse();
      return { status: 200, body: { object: "search_result", data: found.map(view), has_more: false } };
    }
    if (request.method === "GET" && url.pathname.startsWith("/v1/payment_intents/")) {
      const intent = intents.get(url.pathname.slice("/v1/payment_intents/".length));
      return intent ? { status: 200, body: view(intent) } : stripeError(404, { type: "invalid_request_error", code: "resource_missing" });
    }
    if (url.pathname === "/v1/payment_intents") return write(request, createIntent);
    const cancelled = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(url.pathname)?.[1];
    if (request.method === "POST" && cancelled) return write(request, cancel(cancelled));
    if (request.method === "GET" && url.pathname === "/v1/refunds") {
      const of = url.searchParams.get("payment_intent");
      const data = [...refunds.values()].filter((made) => made.intent.id === of).reverse().map((made) => ({ id: made.id, object: "refund", amount: made.amount, status: made.status, payment_intent: made.intent.id }));
      return { status: 200, body: { object: "list", data, has_more: false } };
    }
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
    /** A pending refund fails at the bank: its amount is back on the charge (Stripe then sends `refund.failed`). */
    failRefund: (id: string) => {
      const made = refunds.get(id);
      if (!made || made.status !== "pending") throw new Error(`no pending refund ${id}`);
      made.status = "failed";
      made.intent.refunded -= made.amount;
    },
    refunds,
    /** The buyer authenticates (3-D Secure): the intent succeeds, or fails (`pm_card_threeDSecureFail`, or `succeeds` false). */
    authenticate: (id: string, succeeds = true) => {
      const intent = intents.get(id);
      if (!intent || intent.status !== "requires_action") return;
      delete intent.next_action;
      if (succeeds && !intent.failsAuthentication) intent.status = "succeeded";
      else Object.assign(intent, { status: "requires_payment_method", last_payment_error: { code: "payment_intent_authentication_failure" } });
    },
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
