/**
 * A payment that waits for the shopper (3-D Secure, issue 23): the checkout answers 202, the tab
 * goes to the bank's page, and the bank sends it back to `returnUrl()`. What the page needs then —
 * the checkout id and which attempt it settles — is kept in sessionStorage: it survives the trip
 * to the bank in this tab, and no other tab sees it.
 * The return is /checkout itself (with a query), not a new path: the Worker already serves the
 * shell there, so a storefront deployed ahead of its Worker (docs/web.md) still gets shoppers back.
 */
import { api, ApiError } from "../shared/api";
import { endAttempt, isWaiting, type Waiting } from "./checkout-attempt";
import type { Order } from "./types";

export const RETURN_QUERY = "returned";
export const returnUrl = () => `${location.origin}/checkout?${RETURN_QUERY}=1`;

export interface Pending {
  checkoutId: string;
  cartId: string;
  paymentMethod: string;
  /** The bank's page, for a shopper who came back before deciding. */
  url: string;
}

const PENDING = "motor.checkout.pending";
/** The Retry-After of the API's 202, and how long a returning page waits for the bank's word. */
const POLL_MS = 2000;
const MAX_POLLS = 5;

/** The return could not be settled yet (the bank has not decided, or Motor was not reachable): nothing more is charged; the page offers to check again. */
export class NotYetConfirmed extends Error {}

export function pendingCheckout(): Pending | null {
  try {
    return JSON.parse(sessionStorage.getItem(PENDING) ?? "null") as Pending | null;
  } catch {
    return null;
  }
}

/** Sends the tab to the bank's page. */
export function goToBank(waiting: Waiting, cartId: string, paymentMethod: string) {
  const { url } = waiting.nextAction;
  // the page always sends returnUrl, so the API answers with a redirect (never Stripe.js's use_stripe_sdk)
  if (waiting.nextAction.type !== "redirect" || !url) throw new Error(`unexpected next action ${waiting.nextAction.type}`);
  const pending: Pending = { checkoutId: waiting.checkoutId, cartId, paymentMethod, url };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(url);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the status (which asks the provider nothing) until the bank has decided; false when it still has not. */
async function decided(path: string): Promise<boolean> {
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    await sleep(POLL_MS);
    const { status } = await api<{ status: string }>(path, { cache: "no-store" });
    if (status !== "requires_action" && status !== "processing") return true;
  }
  return false;
}

/**
 * Settles the checkout the shopper came back to. `complete` asks the provider: 201 is the order
 * (also when the bank's webhook got there first); while the bank has not decided (202) the page
 * polls the status, then asks `complete` again for the definite answer. 402 (not authenticated),
 * 409 (expired) and 404 are final: the attempt ends, and the next Pay is a new checkout of the
 * cart, which the failed one released.
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
    if (error instanceof ApiError && [402, 404, 409].includes(error.status)) throw settled(pending, error);
    throw error instanceof NotYetConfirmed ? error : new NotYetConfirmed("not confirmed yet", { cause: error });
  }
}

function settled<T>(pending: Pending, outcome: T): T {
  sessionStorage.removeItem(PENDING);
  endAttempt(pending.cartId, pending.paymentMethod);
  return outcome;
}
