/**
 * One checkout attempt = one Idempotency-Key, kept in sessionStorage until the attempt has a
 * definite answer. A double click, a lost answer, a reload or a retry after 503/409-in-progress
 * reuses it, so the server replays the first answer instead of charging twice. A definite failure
 * (declined, out of stock, not checkoutable, the total changed) ends the attempt: the next "Pay"
 * is a new one.
 * Every attempt names the total the shopper was shown (`expectedTotal`): Motor charges exactly
 * that or answers 409 `price-changed` with the new total and charges nothing; the page then shows
 * the new total and asks again (docs/checkout.md). The total is stored with the key, because a
 * retry must send the same bytes as the first request (the key's fingerprint).
 */
import { api, ApiError } from "../shared/api";
import { formatMoney, type Money } from "../shared/format";
import type { Order } from "./types";

const MAX_RETRIES = 6;
const storageKey = (cartId: string, paymentMethod: string) => `motor.checkout.${cartId}.${paymentMethod}`;

interface Attempt {
  key: string;
  /** Absent only for an attempt stored by an older page (a bare key): it is retried as it was sent. */
  expectedTotal?: Money;
}

function storedAttempt(raw: string): Attempt {
  try {
    const parsed = JSON.parse(raw) as Partial<Attempt>;
    if (typeof parsed.key === "string") return { key: parsed.key, expectedTotal: parsed.expectedTotal };
  } catch {
    // a bare key, stored before attempts carried their total
  }
  return { key: raw };
}

function attemptOf(cartId: string, paymentMethod: string, shown: Money): Attempt {
  const name = storageKey(cartId, paymentMethod);
  const raw = sessionStorage.getItem(name);
  if (raw) return storedAttempt(raw);
  const attempt = { key: crypto.randomUUID(), expectedTotal: { amount: shown.amount, currency: shown.currency } };
  sessionStorage.setItem(name, JSON.stringify(attempt));
  return attempt;
}

/** The cart changed since the shopper saw it: nothing was charged, `problem.total` is the new total. */
export function isPriceChanged(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 409 && typeof error.problem.type === "string" && error.problem.type.endsWith("/price-changed");
}

/** Outcome unknown or still running: ask again with the same key. */
function retryAfterMs(error: unknown): number | null {
  if (!(error instanceof ApiError)) return null;
  const header = Number(error.headers.get("Retry-After"));
  const wait = Number.isFinite(header) && header > 0 ? Math.min(header, 5) * 1000 : 1000;
  if (error.status === 0 || error.status === 503) return wait;
  if (error.status === 409 && error.headers.has("Retry-After")) return wait; // in progress, not out of stock
  return null;
}

/** `shown`: the total on the page the shopper pressed Pay on — what they agree to be charged. */
export async function payCart(cartId: string, paymentMethod: string, shown: Money): Promise<Order> {
  const { key, expectedTotal } = attemptOf(cartId, paymentMethod, shown);
  const json = expectedTotal ? { cartId, paymentMethod, expectedTotal } : { cartId, paymentMethod };
  for (let attempt = 0; ; attempt++) {
    try {
      const order = await api<Order>("/v1/checkout", { method: "POST", json, headers: { "Idempotency-Key": key } });
      sessionStorage.removeItem(storageKey(cartId, paymentMethod));
      return order;
    } catch (error) {
      const wait = retryAfterMs(error);
      if (wait !== null && attempt < MAX_RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      if (wait === null) sessionStorage.removeItem(storageKey(cartId, paymentMethod));
      throw error;
    }
  }
}

/** The failure in the words a shopper needs. */
export function checkoutMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Nothing was charged; please try again.";
  const { status, problem } = error;
  if (isPriceChanged(error)) {
    const total = error.problem.total as Money | undefined;
    return `The total has changed to ${formatMoney(total)} since you saw it. Nothing was charged — check the new total and press Pay now again to confirm it.`;
  }
  if (status === 402) return "Your card was declined. Nothing was charged and your cart is unchanged — try another card.";
  if (status === 409 && Array.isArray(problem.skus)) return `Sorry, some items ran out of stock: ${(problem.skus as string[]).join(", ")}. Update your cart and try again.`;
  if (status === 0 || status === 503) return "We could not confirm the payment yet. Please press Pay again in a moment — you will not be charged twice.";
  if (status === 422) return `This cart cannot be checked out yet: ${problem.detail ?? "check the cart"}.`;
  return problem.detail ?? problem.title ?? "The payment did not go through.";
}
