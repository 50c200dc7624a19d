/**
 * Test data for checkout: carts ready to check out. `readyCartOverHttp` builds one through the
 * cart API (as a shop would); `readyCartRows` writes the same rows directly, for races with
 * hundreds of carts where the cart API itself is not what is being tested.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { callJson } from "../../../test/helpers/http";
import { cartDb } from "../../../test/helpers/cart";
import { createDatabase } from "../../db/client";
import { cartItems, carts } from "../../db/schema";
import { newId } from "../../platform/ids";
import type { OrderView } from "../orders/orders.schemas";
import { SWEEP_BATCH, sweepStuck, type SweepReport } from "./checkout.sweep";
import type { CheckoutDeps } from "./checkout.steps";

export const ADDRESS = { country: "ES", postalCode: "28001", city: "Madrid", line1: "Calle Mayor 1" };

/** A fresh client IP per simulated buyer, so the per-IP rate limit does not throttle a test's crowd. */
export const buyerIp = () =>
  `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;

export async function readyCartOverHttp(
  items: { sku: string; quantity: number }[],
  options: { token?: string; email?: string | null; address?: object | null } = {},
): Promise<string> {
  const headers = { "CF-Connecting-IP": buyerIp() };
  const created = await callJson<{ id: string }>("/v1/carts", {
    method: "POST",
    body: { country: "ES" },
    token: options.token,
    headers,
  });
  expect(created.status).toBe(201);
  for (const item of items) {
    const added = await callJson(`/v1/carts/${created.body.id}/items`, {
      method: "POST",
      body: item,
      token: options.token,
      headers,
    });
    expect(added.status).toBe(200);
  }
  const patch = {
    ...(options.email === null ? {} : { email: options.email ?? "buyer@example.test" }),
    ...(options.address === null ? {} : { shippingAddress: options.address ?? ADDRESS }),
  };
  if (Object.keys(patch).length > 0)
    expect(
      (await callJson(`/v1/carts/${created.body.id}`, { method: "PATCH", body: patch, token: options.token, headers }))
        .status,
    ).toBe(200);
  return created.body.id;
}

export async function readyCartRows(count: number, sku: string, quantity = 1): Promise<string[]> {
  const db = cartDb();
  const now = Date.now();
  const ids = Array.from({ length: count }, () => newId("cart"));
  for (let start = 0; start < ids.length; start += 50) {
    const slice = ids.slice(start, start + 50);
    // one row per statement: D1 binds at most 100 values per statement
    const [first, ...rest] = slice.flatMap((id) => [
      db.insert(carts).values({
        id,
        currency: "EUR",
        country: "ES",
        email: "crowd@example.test",
        shippingAddress: ADDRESS,
        createdAt: now,
        updatedAt: now,
      }),
      db.insert(cartItems).values({ cartId: id, sku, quantity, addedAt: now }),
    ]);
    if (first) await db.batch([first, ...rest]);
  }
  return ids;
}

export interface CheckoutCall {
  /** null sends no Idempotency-Key; undefined a fresh one. */
  key?: string | null;
  paymentMethod?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export function postCheckout(cartId: string, call: CheckoutCall = {}) {
  const headers: Record<string, string> = { "CF-Connecting-IP": buyerIp(), ...call.headers };
  if (call.key !== null) headers["Idempotency-Key"] = call.key ?? newId("idem");
  return callJson<OrderView & { skus?: string[]; detail?: string; blockers?: string[] }>("/v1/checkout", {
    method: "POST",
    token: call.token,
    headers,
    body: call.body ?? { cartId, paymentMethod: call.paymentMethod ?? "pm_card_visa" },
  });
}

export const checkoutDb = () => createDatabase(env.DB);

/**
 * The sweep at `now`, run again while its batch was full: test files share the database, so other files' stuck
 * checkouts can fill a batch before this test's own, as a busy shop's cron would take several minutes to reach it.
 * With fewer due checkouts than a batch, this is exactly one sweep.
 */
export async function sweepDue(deps: CheckoutDeps, now: number): Promise<SweepReport> {
  let report = await sweepStuck(deps, now);
  for (let rounds = 1; report.due >= SWEEP_BATCH && rounds < 40; rounds++) report = await sweepStuck(deps, now);
  return report;
}
