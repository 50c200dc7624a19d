/**
 * A payment that waits for the shopper (3-D Secure): the checkout answers 202, the tab goes to the
 * bank's page and comes back to `returnUrl()`, which is /checkout itself so a storefront deployed ahead
 * of its Worker still gets shoppers back. What the page needs then is kept in sessionStorage (it
 * survives the trip in this tab; no other tab sees it), as is a checkout waiting for another card.
 * docs/web.md, "3-D Secure: a trip to the bank and back".
 */
import { api, ApiError } from "../shared/api";
import type { CheckoutStatus, Order } from "../shared/api-types";
import type { Money } from "../shared/format";
import { endAttempt, isFinal, isWaiting, payCart, retrying, type Waiting } from "./checkout-attempt";

export const RETURN_QUERY = "returned";
export const returnUrl = () => `${location.origin}/checkout?${RETURN_QUERY}=1`;

export interface Pending {
  checkoutId: string;
  cartId: string;
  paymentMethod: string;
  /** The bank's page, for a shopper who came back before deciding. */
  url: string;
}

/** A checkout whose authentication failed and that waits for another card until `retryUntil` (ISO). */
interface Failed {
  checkoutId: string;
  cartId: string;
  retryUntil: string;
}

const PENDING = "motor.checkout.pending";
const FAILED = "motor.checkout.failed";
/** The Retry-After of the API's 202, and how long a returning page waits for the bank's word. */
const POLL_MS = 2000;
const MAX_POLLS = 5;

/**
 * The return could not be settled yet (the bank has not decided, or Motor was not reachable): nothing more is
 * charged; the page offers to check again.
 */
export class NotYetConfirmed extends Error {}

export function pendingCheckout(): Pending | null {
  try {
    return JSON.parse(sessionStorage.getItem(PENDING) ?? "null") as Pending | null;
  } catch {
    return null;
  }
}

/** The checkout of this cart that waits for another card, while its window is open. */
function failedCheckout(cartId: string): Failed | null {
  try {
    const failed = JSON.parse(sessionStorage.getItem(FAILED) ?? "null") as Failed | null;
    if (failed?.cartId === cartId && Date.parse(failed.retryUntil) > Date.now()) return failed;
  } catch {
    // unreadable: forgotten below
  }
  sessionStorage.removeItem(FAILED);
  return null;
}

/**
 * After a 402 about a checkout: its status says whether it waits for another card (`retryUntil`);
 * remembered if so, forgotten otherwise. Unknown (unreachable): forgotten too — the next Pay is a
 * new checkout, which replaces the waiting one.
 */
async function rememberIfWaiting(checkoutId: string, cartId: string): Promise<void> {
  sessionStorage.removeItem(FAILED);
  try {
    const { retryUntil } = await api<CheckoutStatus>(`/v1/checkouts/${encodeURIComponent(checkoutId)}`, {
      cache: "no-store",
    });
    if (retryUntil) sessionStorage.setItem(FAILED, JSON.stringify({ checkoutId, cartId, retryUntil } satisfies Failed));
  } catch {
    // not known: nothing remembered
  }
}

/**
 * Pay now: with this card on the checkout that waits for another one, else a new checkout of the
 * cart. 201 the order; 202 the bank again (goToBank, and the return settles the same checkout);
 * 402 declined (the decline at the charge ends that checkout). The same card re-sent after a lost
 * answer follows the checkout, so 0/503 are retried as they are. 409 (completed, at the bank with
 * another card, expired) and 404 mean it no longer waits: forgotten, and a new checkout it is.
 */
export async function payNow(cartId: string, paymentMethod: string, shown: Money): Promise<Order | Waiting> {
  const failed = failedCheckout(cartId);
  if (failed) {
    const path = `/v1/checkouts/${encodeURIComponent(failed.checkoutId)}/payment-method`;
    try {
      const answer = await retrying(() =>
        api<Order | Waiting>(path, { method: "POST", json: { paymentMethod, returnUrl: returnUrl() } }),
      );
      if (!isWaiting(answer)) sessionStorage.removeItem(FAILED);
      return answer;
    } catch (error) {
      if (error instanceof ApiError && error.status === 402) await rememberIfWaiting(failed.checkoutId, cartId);
      const gone = error instanceof ApiError && (error.status === 404 || error.status === 409) && isFinal(error);
      if (!gone) throw error;
      sessionStorage.removeItem(FAILED);
    }
  }
  try {
    return await payCart(cartId, paymentMethod, shown, returnUrl());
  } catch (error) {
    // the replay of the attempt that went to the bank: its authentication failed meanwhile (webhook, sweep)
    const pending = pendingCheckout();
    if (
      error instanceof ApiError &&
      error.status === 402 &&
      pending?.cartId === cartId &&
      pending.paymentMethod === paymentMethod
    ) {
      settled(pending, null);
      await rememberIfWaiting(pending.checkoutId, cartId);
    }
    throw error;
  }
}

/** Sends the tab to the bank's page. */
export function goToBank(waiting: Waiting, cartId: string, paymentMethod: string) {
  const { url } = waiting.nextAction;
  // the page always sends returnUrl, so the API answers with a redirect (never Stripe.js's use_stripe_sdk)
  if (waiting.nextAction.type !== "redirect" || !url)
    throw new Error(`unexpected next action ${waiting.nextAction.type}`);
  const pending: Pending = { checkoutId: waiting.checkoutId, cartId, paymentMethod, url };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(url);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the status (which asks the provider nothing) until the bank has decided; false when it still has not. */
async function decided(path: string): Promise<boolean> {
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    await sleep(POLL_MS);
    const { status } = await api<CheckoutStatus>(path, { cache: "no-store" });
    if (status !== "requires_action" && status !== "processing") return true;
  }
  return false;
}

/**
 * Settles the checkout the shopper came back to. `complete` asks the provider: 201 is the order
 * (also when the bank's webhook got there first); while the bank has not decided (202) the page
 * polls the status, then asks `complete` again for the definite answer. 402 (not authenticated),
 * 409 (expired) and 404 are final: the attempt ends. After a 402 the checkout usually waits for
 * another card (remembered: the next Pay goes to it); otherwise the next Pay is a new checkout.
 */
export async function finishCheckout(pending: Pending): Promise<Order> {
  const path = `/v1/checkouts/${encodeURIComponent(pending.checkoutId)}`;
  try {
    const answer = await api<Order | Waiting>(`${path}/complete`, { method: "POST" });
    if (!isWaiting(answer)) return settled(pending, answer);
    if (!(await decided(path))) throw new NotYetConfirmed();
    const final = await api<Order | Waiting>(`${path}/complete`, { method: "POST" });
    if (!isWaiting(final)) return settled(pending, final);
    throw new NotYetConfirmed();
  } catch (error) {
    if (error instanceof ApiError && [402, 404, 409].includes(error.status)) {
      settled(pending, error);
      if (error.status === 402) await rememberIfWaiting(pending.checkoutId, pending.cartId);
      throw error;
    }
    throw error instanceof NotYetConfirmed ? error : new NotYetConfirmed("not confirmed yet", { cause: error });
  }
}

function settled<T>(pending: Pending, outcome: T): T {
  sessionStorage.removeItem(PENDING);
  sessionStorage.removeItem(FAILED);
  endAttempt(pending.cartId, pending.paymentMethod);
  return outcome;
}
