/**
 * Idempotency-Key on POST (Stripe semantics): the key is claimed atomically in D1 before the handler,
 * scoped to the caller (so this runs after `authenticate()`) and fingerprinted with method + path +
 * body. Answers that carry a secret are never stored (`answerCarriesSecret`, and /v1/auth/* is
 * skipped), and every path decision uses the decoded `c.req.path` routing matched. The rules:
 * docs/checkout.md, "Idempotency (Stripe semantics)".
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../platform/context";
import { log } from "../platform/observability/log";
import type { Database } from "../db/client";
import {
  abandonIdempotentRequest,
  beginIdempotentRequest,
  finishIdempotentRequest,
  parseIdempotencyKey,
  requestFingerprint,
  scopeOf,
  unclaimedAnswer,
  type IdempotencyClaim,
  type IdempotencyTicket,
  type StoredAnswer,
} from "../modules/idempotency/idempotency.service";

declare module "hono" {
  interface ContextVariableMap {
    /** Set while a POST with an Idempotency-Key runs; a service may record the answer in its own batch. */
    idempotency: IdempotencyClaim | undefined;
    /** Set instead on a route that claims its key in its own first batch (see `claimedByRoute`). */
    idempotencyTicket: IdempotencyTicket | undefined;
    /** Set by a handler whose answer carries a secret: it must never be stored or replayed. */
    answerCarriesSecret: true | undefined;
    /** Set by a handler whose answer is not the request's last word, though it has no Retry-After: not stored. */
    answerNotFinal: true | undefined;
  }
}

/**
 * Marks this request's answer as not final: a retry with the key runs again and hears where things
 * stand then (a checkout whose authentication failed still takes another card: its key follows it).
 */
export function answerIsNotFinal(c: Context): void {
  c.set("answerNotFinal", true);
}

/** Marks this request's answer as secret-bearing (tokens, signing secrets): never stored for replay. */
export function answerCarriesSecret(c: Context): void {
  c.set("answerCarriesSecret", true);
}

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** Only these headers of an answer are stored and replayed; the rest are per-request (an ETag describes the stored body). */
const REPLAYED_HEADERS = ["content-type", "location", "etag"];

/** A stored answer as it is replayed, byte for byte, marked `Idempotent-Replayed: true`. */
export function replayResponse(answer: StoredAnswer): Response {
  const headers = new Headers(answer.headers);
  headers.set("Idempotent-Replayed", "true");
  return new Response(answer.body || null, { status: answer.status, headers });
}

/**
 * `claimedByRoute`: POST paths whose handler claims the key itself, inside its first D1 batch
 * (checkout: the claim, the live-checkout lookup and the cart in one round trip). The middleware
 * still validates and fingerprints the key, and stores or drops the answer afterwards.
 */
export function idempotency(options: { now?: () => number; claimedByRoute?: readonly string[] } = {}) {
  const now = options.now ?? Date.now;
  const claimedByRoute = new Set(options.claimedByRoute ?? []);
  return createMiddleware<AppBindings>(async function idempotency(c, next) {
    const raw = c.req.header(IDEMPOTENCY_HEADER);
    if (c.req.method !== "POST" || raw === undefined) return next();
    // Never store auth answers: they carry live tokens, and replaying a refresh answer would hand
    // out a successor token without reuse detection ever seeing the old one again.
    if (c.req.path.startsWith("/v1/auth/")) return next();
    const key = parseIdempotencyKey(raw);
    const requestHash = await requestFingerprint(
      c.req.method,
      c.req.path + new URL(c.req.url).search,
      await c.req.text(),
    );
    const request = { scope: scopeOf(c.get("caller")), key, requestHash, now: now() };
    // the lookup decides which of two racing requests runs: it must not read a lagging replica
    const db = c.get("primaryDb");

    if (claimedByRoute.has(c.req.path.replace(/\/+$/, ""))) {
      const ticket: IdempotencyTicket = { request };
      c.set("idempotencyTicket", ticket);
      await next();
      // a request refused before its handler claimed (a malformed body) stores nothing, as with Stripe
      if (ticket.claim) await recordAnswer(c, db, ticket.claim);
      return;
    }

    const outcome = await beginIdempotentRequest(db, request);
    if (outcome.kind !== "claimed") return replayResponse(unclaimedAnswer(outcome));
    c.set("idempotency", outcome.claim);
    await next();
    await recordAnswer(c, db, outcome.claim);
  });
}

async function recordAnswer(c: Context<AppBindings>, db: Database, claim: IdempotencyClaim): Promise<void> {
  if (c.get("answerCarriesSecret") || c.get("answerNotFinal")) {
    await abandonIdempotentRequest(db, claim);
    return;
  }
  const answer = c.res.clone();
  const headers = Object.fromEntries(
    REPLAYED_HEADERS.flatMap((name) => {
      const value = answer.headers.get(name);
      return value === null ? [] : [[name, value]];
    }),
  );
  try {
    await finishIdempotentRequest(
      db,
      claim,
      { status: answer.status, headers, body: await answer.text() },
      answer.headers.get("retry-after"),
    );
  } catch (error) {
    // The work is done; failing its answer now would invite a blind retry. The claim stays
    // in progress and becomes stale, after which a retry with the key runs again.
    log.error("idempotency record not stored", { requestId: c.get("requestId"), error });
  }
}
