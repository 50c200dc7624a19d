/**
 * One checkout attempt = one Idempotency-Key, kept in sessionStorage until the attempt has a
 * definite answer. A double click, a lost answer, a reload or a retry after 503/409-in-progress
 * reuses it, so the server replays the first answer instead of charging twice. A definite failure
 * (declined, out of stock, not checkoutable) ends the attempt: the next "Pay" is a new one.
 */
import { api, ApiError } from "../shared/api";
import type { Order } from "./types";

const MAX_RETRIES = 6;
const storageKey = (cartId: string, paymentMethod: string) => `motor.checkout.${cartId}.${paymentMethod}`;

function attemptKey(cartId: string, paymentMethod: string): string {
  const name = storageKey(cartId, paymentMethod);
  let key = sessionStorage.getItem(name);
  if (!key) {
    key = crypto.randomUUID();
    sessionStorage.setItem(name, key);
  }
  return key;
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

export async function payCart(cartId: string, paymentMethod: string): Promise<Order> {
  const key = attemptKey(cartId, paymentMethod);
  for (let attempt = 0; ; attempt++) {
    try {
      const order = await api<Order>("/v1/checkout", { method: "POST", json: { cartId, paymentMethod }, headers: { "Idempotency-Key": key } });
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
  if (status === 402) return "Your card was declined. Nothing was charged and your cart is unchanged — try another card.";
  if (status === 409 && Array.isArray(problem.skus)) return `Sorry, some items ran out of stock: ${(problem.skus as string[]).join(", ")}. Update your cart and try again.`;
  if (status === 0 || status === 503) return "We could not confirm the payment yet. Please press Pay again in a moment — you will not be charged twice.";
  if (status === 422) return `This cart cannot be checked out yet: ${problem.detail ?? "check the cart"}.`;
  return problem.detail ?? problem.title ?? "The payment did not go through.";
}
