/**
 * The checkout's first D1 round trip: ONE batch claims the Idempotency-Key, looks up the checkout
 * this request already started (a retry resumes it), the cart's checkout that waits for the buyer,
 * the client's live holds, and reads the cart with everything pricing needs. The claim comes first
 * in the batch (one transaction), so the lookup sees whatever the key's previous attempt left. A key
 * won some other way (an expired record re-claimed, a stale claim taken over: another round trip)
 * is read again after the claim.
 */
import type { Database } from "../../db/client";
import type { Caller } from "../../platform/context";
import { sha256Hex } from "../../platform/crypto";
import {
  loadPricedCart,
  pricedStoredCart,
  storedCartReads,
  type PricedCart,
  type StoredCartRows,
} from "../cart/cart-pricing";
import {
  claimOutcome,
  claimStatements,
  unclaimedAnswer,
  type IdempotencyClaim,
  type IdempotencyTicket,
  type StoredAnswer,
} from "../idempotency/idempotency.service";
import { NotFoundError } from "../../platform/errors";
import { CartCheckedOutError } from "../cart/cart-lock";
import {
  findCartCheckout,
  findKeyCheckout,
  selectCartCheckout,
  selectClientHolds,
  selectKeyCheckout,
  type CheckoutRow,
} from "./checkout.repository";

export interface OpenRequest {
  cartId: string;
  caller: Caller | undefined;
  /** The Idempotency-Key, claimed here; `ticket.claim` is set once this request won it. */
  ticket: IdempotencyTicket;
  cartTtlMs: number;
  /** Who is checking out (`clientKeyOf`): their live holds are counted in the same batch. */
  clientKey: string;
}

export type Opened =
  | { kind: "replay"; answer: StoredAnswer }
  | {
      kind: "claimed";
      claim: IdempotencyClaim;
      /** The key's scope and value, hashed: what ties a checkout row to the request that started it. */
      requestKey: string;
      live: CheckoutRow | undefined;
      /** The key's newest checkout when it ended (compensated): its final answer may be the key's (checkout.service.ts). */
      ended: CheckoutRow | undefined;
      /** The client's live checkouts when the batch ran (this request's own included, when it is a retry). */
      clientHolds: number;
      /** The cart's checkout (any key) when it waits for the buyer: a new checkout by the same buyer replaces it. */
      waitingOnCart: CheckoutRow | undefined;
      /** The cart priced now; only a new checkout needs it (a 404 for a cart already checked out must not stop a retry). */
      priced: () => Promise<PricedCart>;
    };

export async function openCheckout(db: Database, request: OpenRequest, now: number): Promise<Opened> {
  const { ticket, cartId, caller } = request;
  const requestKey = await sha256Hex(`${ticket.request.scope}\n${ticket.request.key}`);
  const [inserted, record, [keyRow], [cartLive], [holds], ...cart] = await db.batch([
    ...claimStatements(db, ticket.request),
    selectKeyCheckout(db, requestKey, cartId),
    selectCartCheckout(db, cartId),
    selectClientHolds(db, request.clientKey),
    ...storedCartReads(db, cartId),
  ]);
  const clientHolds = holds?.holds ?? 0;
  const waitingOnCart = cartLive?.state === "requires_action" ? cartLive : undefined;
  const outcome = await claimOutcome(db, ticket.request, inserted, record);
  // a replay, or the refusal of a key in use (409) or used by another request (422)
  if (outcome.kind !== "claimed") return { kind: "replay", answer: unclaimedAnswer(outcome) };
  ticket.claim = outcome.claim;
  const options = { now, ttlMs: request.cartTtlMs };
  const checkedOut = (price: () => Promise<PricedCart>) => () =>
    price().catch(async (error: unknown) => Promise.reject(await checkedOutOr(db, cartId, caller, error)));
  if (!outcome.inBatch) {
    return {
      kind: "claimed",
      claim: outcome.claim,
      requestKey,
      ...byState(await findKeyCheckout(db, requestKey, cartId)),
      clientHolds,
      waitingOnCart,
      priced: checkedOut(() => loadPricedCart(db, cartId, caller, options)),
    };
  }
  return {
    kind: "claimed",
    claim: outcome.claim,
    requestKey,
    ...byState(keyRow),
    clientHolds,
    waitingOnCart,
    priced: checkedOut(async () => pricedStoredCart({ caller, ...options }, cart as StoredCartRows)),
  };
}

const byState = (row: CheckoutRow | undefined) =>
  row?.state === "compensated" ? { live: undefined, ended: row } : { live: row, ended: undefined };

/**
 * A cart that became an order is no longer open, so pricing it answers 404; to its buyer (the
 * checkout's user, or anyone holding an anonymous cart's id) that is a final 409 "already checked
 * out" instead — a losing tab retrying after the winner finished must not hear "No such cart".
 * Only on this failure path: one more read.
 */
async function checkedOutOr(
  db: Database,
  cartId: string,
  caller: Caller | undefined,
  error: unknown,
): Promise<unknown> {
  if (!(error instanceof NotFoundError)) return error;
  const checkout = await findCartCheckout(db, cartId);
  const visible = checkout && (checkout.userId === null || checkout.userId === caller?.userId);
  return visible && checkout.state === "completed" ? new CartCheckedOutError() : error;
}
