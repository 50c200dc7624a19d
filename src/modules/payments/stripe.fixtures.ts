/**
 * A fake Stripe at the network boundary for tests: it replaces globalThis.fetch, behaves like
 * Stripe's test mode wherever money safety depends on it (idempotency per key, refunds, lists and
 * search, 3-D Secure, manual capture, events) and records every request it saw. What each test token
 * does and which of Stripe's rules it enforces: docs/payments.md, "Stripe adapter", the fake Stripe.
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
  /** What a capture may still take: the authorised amount while `requires_capture`, else 0. (Optional: tests seed intents without it.) */
  amount_capturable?: number;
  /** What was taken: the whole amount (automatic) or what the capture took (manual); 0 until then. Absent: all of a succeeded one. */
  amount_received?: number;
  /** Absent: automatic. */
  capture_method?: "automatic" | "manual";
  currency: string;
  status: string;
  created: number;
  metadata: Record<string, string>;
  refunded: number;
  client_secret: string;
  next_action?: Record<string, unknown>;
  last_payment_error?: Record<string, string>;
  cancellation_reason?: string | null;
  /** Not Stripe's: the fake's note that this intent's authentication always fails. */
  failsAuthentication: boolean;
}

const DECLINES: Record<string, string> = {
  pm_card_chargeDeclined: "generic_decline",
  pm_card_insufficientFunds: "insufficient_funds",
};
const SUCCEEDING = new Set([
  "pm_card_visa",
  "pm_card_slowSuccess",
  "pm_card_processing",
  "pm_card_rateLimitedResend",
  "pm_card_refundPendingFails",
]);
/** Need the buyer (3-D Secure); the second's authentication always fails. */
const AUTHENTICATING = new Set(["pm_card_threeDSecureRequired", "pm_card_threeDSecureFail"]);
/** Its refunds answer `pending`; `failRefund(id)` later fails one (the money comes back to the charge). */
const REFUND_PENDING_FAILS = "pm_card_refundPendingFails";
/** Charged, the answer never comes, and every re-send under its key is a 429 (Stripe rate-limits before it reads the key). */
const RATE_LIMITED_RESEND = "pm_card_rateLimitedResend";
const KEY_TTL_MS = 24 * 60 * 60 * 1000;
const CAPTURE_METHODS = new Set(["automatic", "manual"]);
/** Stripe's reasons a PaymentIntent may be cancelled with. */
const CANCELLATION_REASONS = new Set(["duplicate", "fraudulent", "requested_by_customer", "abandoned"]);
/** The states Stripe cancels an intent from; any other (succeeded, canceled) is a 400. */
const CANCELLABLE = new Set([
  "requires_payment_method",
  "requires_capture",
  "requires_confirmation",
  "requires_action",
  "processing",
]);
const NEVER = Symbol("never answers");

type Outcome = { answer: Answer; hang?: boolean };

const stripeError = (status: number, error: Record<string, string>): Answer => ({ status, body: { error } });
const unexpectedState = (intent: Intent, action: string, allowed: string): Answer =>
  stripeError(400, {
    type: "invalid_request_error",
    code: "payment_intent_unexpected_state",
    message:
      `This PaymentIntent could not be ${action} because it has a status of ${intent.status}. Only a ` +
      `PaymentIntent with one of the following statuses may be ${action}: ${allowed}.`,
  });
const noSuchIntent = (id: string): Answer =>
  stripeError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such payment_intent: '${id}'`,
  });
/** Stripe's integers in a form: digits only (`10.5`, `1e3`, `` are refused). */
const formInteger = (raw: string | null) => (raw !== null && /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN);

export function installFakeStripe(
  override?: (request: SeenRequest) => Answer | Promise<Answer> | undefined,
  options: { now?: () => number } = {},
) {
  const now = options.now ?? Date.now;
  const seen: SeenRequest[] = [];
  const keys = new Map<string, { params: string; answer: Answer; at: number }>();
  const intents = new Map<string, Intent>();
  const refunds = new Map<string, { id: string; intent: Intent; amount: number; status: string }>();
  const pendingIntents = new Set<string>();
  let counter = 0;
  const original = globalThis.fetch;

  /** What an intent took (an intent a test seeded without `amount_received` took all of it once succeeded). */
  const received = (intent: Pick<Intent, "amount" | "amount_received" | "status">) =>
    intent.amount_received ?? (intent.status === "succeeded" ? intent.amount : 0);
  const view = ({ failsAuthentication: _fails, ...intent }: Intent) => ({
    ...intent,
    capture_method: intent.capture_method ?? "automatic",
    amount_capturable: intent.amount_capturable ?? 0,
    amount_received: received(intent),
    latest_charge: { amount_refunded: intent.refunded },
  });

  const createIntent = (form: URLSearchParams): Outcome => {
    const method = form.get("payment_method") ?? "";
    const decline = DECLINES[method];
    if (decline)
      return {
        answer: stripeError(402, {
          type: "card_error",
          code: "card_declined",
          decline_code: decline,
          message: "Your card was declined.",
        }),
      };
    if (!SUCCEEDING.has(method) && !AUTHENTICATING.has(method))
      return {
        answer: stripeError(400, {
          type: "invalid_request_error",
          code: "resource_missing",
          message: `No such payment_method: '${method}'`,
        }),
      };
    const captureMethod = form.get("capture_method") ?? "automatic";
    if (!CAPTURE_METHODS.has(captureMethod)) {
      return {
        answer: stripeError(400, {
          type: "invalid_request_error",
          code: "parameter_invalid",
          param: "capture_method",
          message: `Invalid capture_method: must be one of automatic or manual`,
        }),
      };
    }
    const returnUrl = form.get("return_url");
    if (returnUrl !== null && (form.get("confirm") !== "true" || !URL.canParse(returnUrl))) {
      return {
        answer: stripeError(400, {
          type: "invalid_request_error",
          param: "return_url",
          message: "return_url must be a URL, and can only be passed with confirm=true",
        }),
      };
    }
    const metadata = Object.fromEntries(
      [...form].filter(([name]) => name.startsWith("metadata[")).map(([name, value]) => [name.slice(9, -1), value]),
    );
    const id = `pi_fake${++counter}`;
    const waits = AUTHENTICATING.has(method);
    const amount = Number(form.get("amount"));
    const intent: Intent = {
      id,
      object: "payment_intent",
      amount,
      amount_capturable: 0,
      amount_received: 0,
      capture_method: captureMethod === "manual" ? "manual" : "automatic",
      currency: form.get("currency") ?? "",
      status: waits ? "requires_action" : "processing",
      created: Math.floor(now() / 1000),
      metadata,
      refunded: 0,
      client_secret: `${id}_secret_fake`,
      ...(waits
        ? {
            next_action: returnUrl
              ? {
                  type: "redirect_to_url",
                  redirect_to_url: {
                    url: `https://hooks.stripe.com/3d_secure_2/authenticate/${id}`,
                    return_url: returnUrl,
                  },
                }
              : { type: "use_stripe_sdk", use_stripe_sdk: {} },
          }
        : {}),
      failsAuthentication: method === "pm_card_threeDSecureFail",
    };
    intents.set(intent.id, intent);
    if (method === REFUND_PENDING_FAILS) pendingIntents.add(intent.id);
    if (!waits && method !== "pm_card_processing") settle(intent);
    const answer = { status: 200, body: { ...view(intent) } };
    // it settles after answering `processing`: a later read sees it succeeded (or authorised)
    if (intent.status === "processing") settle(intent);
    return { answer, hang: method === "pm_card_slowSuccess" || method === RATE_LIMITED_RESEND };
  };

  /** The bank said yes: an automatic intent took the money, a manual one holds it until captured. */
  const settle = (intent: Intent) => {
    if (intent.capture_method === "manual")
      Object.assign(intent, { status: "requires_capture", amount_capturable: intent.amount });
    else Object.assign(intent, { status: "succeeded", amount_received: intent.amount });
  };

  /**
   * `POST /v1/payment_intents/{id}/capture`: only from `requires_capture`, `amount_to_capture` (default:
   * all of it) a positive integer at most what is capturable; the rest of the authorisation is released.
   */
  const capture =
    (id: string) =>
    (form: URLSearchParams): Outcome => {
      const intent = intents.get(id);
      if (!intent) return { answer: noSuchIntent(id) };
      if (intent.status !== "requires_capture")
        return { answer: unexpectedState(intent, "captured", "requires_capture") };
      const raw = form.get("amount_to_capture");
      const capturable = intent.amount_capturable ?? intent.amount;
      const amount = raw === null ? capturable : formInteger(raw);
      if (!Number.isSafeInteger(amount))
        return {
          answer: stripeError(400, {
            type: "invalid_request_error",
            code: "parameter_invalid_integer",
            param: "amount_to_capture",
            message: `Invalid integer: ${raw}`,
          }),
        };
      if (amount <= 0)
        return {
          answer: stripeError(400, {
            type: "invalid_request_error",
            code: "amount_too_small",
            param: "amount_to_capture",
            message: "amount_to_capture must be a positive integer",
          }),
        };
      if (amount > capturable) {
        return {
          answer: stripeError(400, {
            type: "invalid_request_error",
            code: "amount_too_large",
            param: "amount_to_capture",
            message:
              "The payment could not be captured because the requested capture amount is greater than the authorized amount.",
          }),
        };
      }
      Object.assign(intent, { status: "succeeded", amount_received: amount, amount_capturable: 0 });
      return { answer: { status: 200, body: view(intent) } };
    };

  /**
   * `POST /v1/payment_intents/{id}/cancel`: from the states Stripe allows (an authorised `requires_capture`
   * one is voided: what it held is released); a succeeded or already cancelled one is a 400.
   */
  const cancel =
    (id: string) =>
    (form: URLSearchParams): Outcome => {
      const intent = intents.get(id);
      if (!intent) return { answer: noSuchIntent(id) };
      const reason = form.get("cancellation_reason");
      if (reason !== null && !CANCELLATION_REASONS.has(reason)) {
        return {
          answer: stripeError(400, {
            type: "invalid_request_error",
            code: "parameter_invalid",
            param: "cancellation_reason",
            message: `Invalid cancellation_reason: must be one of ${[...CANCELLATION_REASONS].join(", ")}`,
          }),
        };
      }
      if (!CANCELLABLE.has(intent.status))
        return { answer: unexpectedState(intent, "canceled", [...CANCELLABLE].join(", ")) };
      Object.assign(intent, { status: "canceled", amount_capturable: 0, cancellation_reason: reason });
      delete intent.next_action;
      return { answer: { status: 200, body: view(intent) } };
    };

  /** `POST /v1/refunds`: only captured money goes back (an uncaptured intent is cancelled instead), at most what was received. */
  const refund = (form: URLSearchParams): Outcome => {
    const id = form.get("payment_intent") ?? "";
    const intent = intents.get(id);
    // a missing object named by a parameter is a 400 (not the 404 of a missing object in the path)
    if (!intent)
      return {
        answer: stripeError(400, {
          type: "invalid_request_error",
          code: "resource_missing",
          param: "payment_intent",
          message: `No such payment_intent: '${id}'`,
        }),
      };
    if (intent.status !== "succeeded") {
      return {
        answer: stripeError(400, {
          type: "invalid_request_error",
          code: "charge_not_refundable",
          message:
            `This PaymentIntent has a status of ${intent.status}: only a succeeded (captured) one can be ` +
            `refunded; cancel an uncaptured one instead.`,
        }),
      };
    }
    const raw = form.get("amount");
    const amount = raw === null ? received(intent) - intent.refunded : formInteger(raw);
    if (!Number.isSafeInteger(amount))
      return {
        answer: stripeError(400, {
          type: "invalid_request_error",
          code: "parameter_invalid_integer",
          param: "amount",
          message: `Invalid integer: ${raw}`,
        }),
      };
    if (amount <= 0 || intent.refunded + amount > received(intent))
      return {
        answer: stripeError(400, {
          type: "invalid_request_error",
          code: "charge_already_refunded",
          message: "Refund exceeds the charge",
        }),
      };
    intent.refunded += amount;
    const made = {
      id: `re_fake${++counter}`,
      intent,
      amount,
      status: pendingIntents.has(intent.id) ? "pending" : "succeeded",
    };
    refunds.set(made.id, made);
    return {
      answer: {
        status: 200,
        body: { id: made.id, object: "refund", amount, status: made.status, payment_intent: intent.id },
      },
    };
  };

  /** Stripe's list, strictly: `limit` 1–100 (default 10), `created[gte|gt|lte|lt]`, `starting_after` an existing id; newest first. */
  const list = (url: URL): Answer => {
    const params = url.searchParams;
    const invalid = (message: string) => stripeError(400, { type: "invalid_request_error", message });
    const limit = Number(params.get("limit") ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return invalid("Invalid limit: must be between 1 and 100");
    const bounds: [string, (created: number, bound: number) => boolean][] = [
      ["gte", (c, b) => c >= b],
      ["gt", (c, b) => c > b],
      ["lte", (c, b) => c <= b],
      ["lt", (c, b) => c < b],
    ];
    const after = params.get("starting_after");
    if (after !== null && !intents.has(after))
      return stripeError(400, {
        type: "invalid_request_error",
        code: "resource_missing",
        message: `No such payment_intent: '${after}'`,
      });
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
    const idempotencyKey = request.headers.get("Idempotency-Key");
    if (idempotencyKey === null) {
      // no key: Stripe just acts, and remembers nothing to replay
      const { answer, hang } = act(request.form);
      return hang ? NEVER : answer;
    }
    const key = `${new URL(request.url).pathname} ${idempotencyKey}`;
    const params = [...request.form].sort().join("&");
    const stored = keys.get(key);
    if (stored && request.form.get("payment_method") === RATE_LIMITED_RESEND)
      return stripeError(429, { type: "invalid_request_error", code: "rate_limit", message: "Too many requests" });
    if (stored && now() - stored.at < KEY_TTL_MS) {
      if (stored.params !== params)
        return stripeError(400, {
          type: "idempotency_error",
          message: "Keys for idempotent requests can only be used with the same parameters they were first used with.",
        });
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
      if (wanted === undefined)
        return stripeError(400, { type: "invalid_request_error", message: "Unsupported search query" });
      const found = [...intents.values()].filter((intent) => intent.metadata.motor_checkout_id === wanted).reverse();
      return { status: 200, body: { object: "search_result", data: found.map(view), has_more: false } };
    }
    if (request.method === "GET" && url.pathname.startsWith("/v1/payment_intents/")) {
      const intent = intents.get(url.pathname.slice("/v1/payment_intents/".length));
      return intent
        ? { status: 200, body: view(intent) }
        : stripeError(404, { type: "invalid_request_error", code: "resource_missing" });
    }
    if (url.pathname === "/v1/payment_intents") return write(request, createIntent);
    const cancelled = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(url.pathname)?.[1];
    if (request.method === "POST" && cancelled) return write(request, cancel(cancelled));
    const captured = /^\/v1\/payment_intents\/([^/]+)\/capture$/.exec(url.pathname)?.[1];
    if (request.method === "POST" && captured) return write(request, capture(captured));
    if (request.method === "GET" && url.pathname === "/v1/refunds") {
      const of = url.searchParams.get("payment_intent");
      const data = [...refunds.values()]
        .filter((made) => made.intent.id === of)
        .reverse()
        .map((made) => ({
          id: made.id,
          object: "refund",
          amount: made.amount,
          status: made.status,
          payment_intent: made.intent.id,
        }));
      return { status: 200, body: { object: "list", data, has_more: false } };
    }
    if (url.pathname === "/v1/refunds") return write(request, refund);
    return stripeError(404, { type: "invalid_request_error", message: "Unrecognized request URL" });
  };

  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const seenRequest = {
      url: request.url,
      method: request.method,
      headers: request.headers,
      form: new URLSearchParams(request.method === "GET" ? "" : await request.text()),
    };
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
      if (succeeds && !intent.failsAuthentication) settle(intent);
      else
        Object.assign(intent, {
          status: "requires_payment_method",
          last_payment_error: { code: "payment_intent_authentication_failure" },
        });
    },
    /**
     * A Stripe event about an intent as it is now (`payment_intent.succeeded`,
     * `payment_intent.amount_capturable_updated` when a manual one is authorised, …): the raw body to sign.
     */
    event: (id: string, type: string) => {
      const intent = intents.get(id);
      if (!intent) throw new Error(`no payment intent ${id}`);
      return JSON.stringify({
        id: `evt_fake${++counter}`,
        object: "event",
        type,
        created: Math.floor(now() / 1000),
        data: { object: view(intent) },
      });
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
