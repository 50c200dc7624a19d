/**
 * One checkout attempt = one Idempotency-Key, kept in sessionStorage with the total and return URL it
 * sent until the attempt has a definite answer: a double click, a lost answer, a reload or a retry
 * re-sends the same bytes, so the server replays instead of charging twice. A checkout waiting for
 * another card takes the next Pay instead (checkout-action.ts). Which answers end an attempt:
 * docs/web.md, "Checkout attempts".
 */
import { api, ApiError } from "../shared/api";
import type { CheckoutRequiresAction, Order } from "../shared/api-types";
import { formatMoney, type Money } from "../shared/format";

const MAX_RETRIES = 6;
const storageKey = (cartId: string, paymentMethod: string) => `motor.checkout.${cartId}.${paymentMethod}`;

interface Attempt {
  key: string;
  /** Absent only for an attempt stored by an older page (a bare key): it is retried as it was sent. */
  expectedTotal?: Money;
  /** Where the bank sends the shopper back; absent in attempts stored before 3-D Secure. */
  returnUrl?: string;
}

/** The checkout's 202: the payment waits for the shopper at `nextAction.url` (3-D Secure). */
export type Waiting = CheckoutRequiresAction;

export const isWaiting = (answer: Order | Waiting): answer is Waiting => "checkoutId" in answer;

function storedAttempt(raw: string): Attempt {
  try {
    const parsed = JSON.parse(raw) as Partial<Attempt>;
    if (typeof parsed.key === "string")
      return { key: parsed.key, expectedTotal: parsed.expectedTotal, returnUrl: parsed.returnUrl };
  } catch {
    // a bare key, stored before attempts carried their total
  }
  return { key: raw };
}

function attemptOf(cartId: string, paymentMethod: string, shown: Money, returnUrl: string): Attempt {
  const name = storageKey(cartId, paymentMethod);
  const raw = sessionStorage.getItem(name);
  if (raw) return storedAttempt(raw);
  const attempt = {
    key: crypto.randomUUID(),
    expectedTotal: { amount: shown.amount, currency: shown.currency },
    returnUrl,
  };
  sessionStorage.setItem(name, JSON.stringify(attempt));
  return attempt;
}

/** The attempt has its definite answer: the next Pay with this card is a new checkout with a new key. */
export const endAttempt = (cartId: string, paymentMethod: string) =>
  sessionStorage.removeItem(storageKey(cartId, paymentMethod));

const isProblem = (error: unknown, status: number, slug: string): error is ApiError =>
  error instanceof ApiError &&
  error.status === status &&
  typeof error.problem.type === "string" &&
  error.problem.type.endsWith(`/${slug}`);

/** The cart changed since the shopper saw it: nothing was charged, `problem.total` is the new total. */
export const isPriceChanged = (error: unknown): error is ApiError => isProblem(error, 409, "price-changed");

/** Outcome unknown or still running: ask again with the same key. */
function retryAfterMs(error: unknown): number | null {
  if (!(error instanceof ApiError)) return null;
  const header = Number(error.headers.get("Retry-After"));
  const wait = Number.isFinite(header) && header > 0 ? Math.min(header, 5) * 1000 : 1000;
  if (error.status === 0 || error.status === 503) return wait;
  if (error.status === 409 && error.headers.has("Retry-After")) return wait; // in progress, not out of stock
  return null;
}

/** A definite answer: asking again would not change it. */
export const isFinal = (error: unknown) => retryAfterMs(error) === null;

/** Sends a request that is safe to repeat, and again (a few times) while its outcome is unknown or still running. */
export async function retrying<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const wait = retryAfterMs(error);
      if (wait === null || attempt >= MAX_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * `shown`: the total on the page the shopper pressed Pay on — what they agree to be charged;
 * `returnUrl`: where the bank sends them back when the card asks for 3-D Secure.
 */
export async function payCart(
  cartId: string,
  paymentMethod: string,
  shown: Money,
  returnUrl: string,
): Promise<Order | Waiting> {
  const { key, ...body } = attemptOf(cartId, paymentMethod, shown, returnUrl);
  const json = { cartId, paymentMethod, ...body };
  try {
    const answer = await retrying(() =>
      api<Order | Waiting>("/v1/checkout", { method: "POST", json, headers: { "Idempotency-Key": key } }),
    );
    if (!isWaiting(answer)) endAttempt(cartId, paymentMethod);
    return answer;
  } catch (error) {
    if (isFinal(error)) endAttempt(cartId, paymentMethod);
    throw error;
  }
}

/** The failure in the words a shopper needs. */
export function checkoutMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Nothing was charged; please try again.";
  const { status, problem } = error;
  if (isPriceChanged(error)) {
    const total = error.problem.total as Money | undefined;
    return (
      `The total has changed to ${formatMoney(total)} since you saw it. Nothing was charged — check ` +
      `the new total and press Pay now again to confirm it.`
    );
  }
  if (status === 402 && problem.declineCode === "authentication_failed") {
    return (
      "Your bank did not confirm the payment, so nothing was charged and your cart is unchanged. " +
      "Choose another card and press Pay now."
    );
  }
  if (status === 402)
    return "Your card was declined. Nothing was charged and your cart is unchanged — try another card.";
  if (isProblem(error, 409, "checkout-expired"))
    return "The payment was not confirmed at your bank in time, so nothing was charged. Press Pay now to try again.";
  if (status === 409 && Array.isArray(problem.skus))
    return `Sorry, some items ran out of stock: ${(problem.skus as string[]).join(", ")}. Update your cart and try again.`;
  if (status === 0 || status === 503)
    return "We could not confirm the payment yet. Please press Pay again in a moment — you will not be charged twice.";
  if (status === 422) return `This cart cannot be checked out yet: ${problem.detail ?? "check the cart"}.`;
  return problem.detail ?? problem.title ?? "The payment did not go through.";
}
