/**
 * Idempotency-Key rules (Stripe semantics), free of HTTP: validate the key, scope it to the
 * caller, fingerprint the request and claim it. The outcome tells the middleware what to do:
 * run the handler (claimed), replay a stored answer, or refuse (409 running / 422 other request).
 */
import type { Database } from "../../db/client";
import type { Caller } from "../../platform/context";
import { sha256Hex } from "../../platform/crypto";
import { ConflictError, UnprocessableError, ValidationError } from "../../platform/errors";
import * as repository from "./idempotency.repository";
import type { StoredAnswer } from "./idempotency.repository";

export type { StoredAnswer } from "./idempotency.repository";

/** Records live 24 h, like Stripe's. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * An in-progress claim older than this belongs to an attempt that died (a Worker request cannot
 * run this long: the provider timeout and every D1 call are far shorter), so a retry takes it over.
 */
export const STALE_CLAIM_MS = 60_000;

const KEY_PATTERN = /^[A-Za-z0-9._:+/=-]{8,255}$/;

export function parseIdempotencyKey(raw: string): string {
  if (!KEY_PATTERN.test(raw)) {
    throw new ValidationError({
      detail: "Idempotency-Key must be 8–255 characters of A–Z, a–z, 0–9 and . _ : + / = -",
      errors: [{ path: "headers.Idempotency-Key", message: "invalid idempotency key" }],
    });
  }
  return raw;
}

/** The caller owns its keys; anonymous callers share one scope, where the (random) key alone identifies. */
export function scopeOf(caller: Caller | undefined): string {
  return caller ? `usr:${caller.userId}` : "anon";
}

export function requestFingerprint(method: string, pathAndQuery: string, body: string): Promise<string> {
  return sha256Hex(`${method.toUpperCase()}\n${pathAndQuery}\n${body}`);
}

/** The claim of the attempt that runs; `stored` is set once its answer is recorded (maybe inside another batch). */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  requestHash: string;
  lockedAt: number;
  stored: boolean;
}

/** A POST with a key, not claimed yet. */
export interface IdempotentRequest {
  scope: string;
  key: string;
  requestHash: string;
  now: number;
}

/**
 * A key whose route claims it in its own first D1 batch (checkout): the middleware hands the route
 * the request, the route's service sets `claim` once it won it, and the middleware stores (or
 * drops) the answer under that claim afterwards.
 */
export interface IdempotencyTicket {
  request: IdempotentRequest;
  claim?: IdempotencyClaim;
}

export type IdempotencyOutcome =
  /** `inBatch`: won by the batch's own insert, so the other reads of that batch came after the claim. */
  | { kind: "claimed"; claim: IdempotencyClaim; inBatch: boolean }
  | { kind: "replay"; answer: StoredAnswer }
  | { kind: "running" }
  | { kind: "mismatch" };

const expiringAt = (request: IdempotentRequest) => ({ ...request, expiresAt: request.now + IDEMPOTENCY_TTL_MS });

/**
 * The claim as two batchable statements: the atomic insert, then the key's record as it is after
 * it. A caller may put more reads after them in the same batch (one round trip); `claimOutcome`
 * reads the two answers.
 */
export function claimStatements(db: Database, request: IdempotentRequest) {
  return [
    repository.insertClaimStatement(db, expiringAt(request)),
    repository.selectRecord(db, request.scope, request.key),
  ] as const;
}

/** What the claim statements answered. Only an expired or stale record costs another round trip. */
export async function claimOutcome(
  db: Database,
  request: IdempotentRequest,
  inserted: D1Result,
  [existing]: repository.IdempotencyRow[],
): Promise<IdempotencyOutcome> {
  const { scope, key, requestHash, now } = request;
  const claimed = (inBatch: boolean): IdempotencyOutcome => ({
    kind: "claimed",
    claim: { scope, key, requestHash, lockedAt: now, stored: false },
    inBatch,
  });

  if (inserted.meta.changes === 1) return claimed(true);
  // purged between our insert and read: try once more from scratch
  if (!existing) return (await repository.insertClaim(db, expiringAt(request))) ? claimed(false) : { kind: "running" };
  if (existing.expiresAt <= now)
    return (await repository.reclaimExpired(db, expiringAt(request))) ? claimed(false) : { kind: "running" };
  if (existing.requestHash !== requestHash) return { kind: "mismatch" };
  if (existing.status === "completed" && existing.responseStatus !== null) {
    return {
      kind: "replay",
      answer: {
        status: existing.responseStatus,
        headers: existing.responseHeaders ?? {},
        body: existing.responseBody ?? "",
      },
    };
  }
  if (
    existing.lockedAt <= now - STALE_CLAIM_MS &&
    (await repository.takeOverStaleClaim(db, scope, key, existing.lockedAt, now))
  ) {
    return claimed(false);
  }
  return { kind: "running" };
}

/** Claims the key in one round trip (the insert and the record in one batch). */
export async function beginIdempotentRequest(db: Database, request: IdempotentRequest): Promise<IdempotencyOutcome> {
  const [inserted, record] = await db.batch(claimStatements(db, request));
  return claimOutcome(db, request, inserted, record);
}

/**
 * The answer to a request that did not win its key: the stored answer to replay, or the refusal
 * (422 another request used the key, 409 it is still running).
 */
export function unclaimedAnswer(outcome: Exclude<IdempotencyOutcome, { kind: "claimed" }>): StoredAnswer {
  if (outcome.kind === "mismatch")
    throw new UnprocessableError({
      detail: "This Idempotency-Key was already used with another request; use a new key",
    });
  if (outcome.kind === "running") {
    throw new ConflictError({
      detail: "A request with this Idempotency-Key is still being processed; retry later",
      headers: { "Retry-After": "1" },
    });
  }
  return outcome.answer;
}

/**
 * Only a final outcome is stored for replay. 5xx and 429 are not final, and neither is any answer
 * that tells the client to come back (`Retry-After`, e.g. the 409 "a checkout for this cart is in
 * progress"): the claim is dropped so that a retry runs the request again and sees the real outcome.
 */
export function isFinalAnswer(status: number, retryAfter: string | null | undefined): boolean {
  return status < 500 && status !== 429 && !retryAfter;
}

export async function finishIdempotentRequest(
  db: Database,
  claim: IdempotencyClaim,
  answer: StoredAnswer,
  retryAfter?: string | null,
): Promise<void> {
  if (claim.stored) return;
  if (isFinalAnswer(answer.status, retryAfter)) await repository.completeStatement(db, claim, answer).run();
  else await repository.deleteClaim(db, claim);
}

/** Drops the claim without storing the answer (an answer that carries a secret): a retry runs again. */
export async function abandonIdempotentRequest(db: Database, claim: IdempotencyClaim): Promise<void> {
  if (!claim.stored) await repository.deleteClaim(db, claim);
}

export { completeStatement } from "./idempotency.repository";
