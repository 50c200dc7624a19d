/**
 * What one client can hold while its payments wait. A hold waiting for a buyer invites
 * denial of inventory, so one client (an account, or an anonymous buyer's address) has at most
 * MAX_LIVE_HOLDS_PER_CLIENT live checkouts, one checkout at most MAX_UNITS_PER_SKU_PER_CHECKOUT
 * units of a SKU, and a buyer who starts another checkout of the same cart releases the one that
 * waits for them at once.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { callJson } from "../../../test/helpers/http";
import { testProviderCharges } from "../../db/schema";
import { stockLockFor } from "../inventory/inventory.service";
import { checkoutDb as db, postCheckout, readyCartOverHttp } from "./checkout.fixtures";
import { MAX_LIVE_HOLDS_PER_CLIENT, MAX_UNITS_PER_SKU_PER_CHECKOUT } from "./checkout.policy";

beforeAll(ensurePricingRules);

const lockOf = (sku: string) => stockLockFor(env, sku).snapshot(sku);
const from = (ip: string) => ({ "CF-Connecting-IP": ip });
const waitFor = (cartId: string, ip: string, key?: string) =>
  postCheckout(cartId, {
    body: { cartId, paymentMethod: "pm_card_threeDSecureRequired" },
    headers: from(ip),
    ...(key ? { key } : {}),
  });

describe("what one client may hold", () => {
  it(`refuses a ${MAX_LIVE_HOLDS_PER_CLIENT + 1}th live checkout from one address with 429, holding nothing; others go on`, async () => {
    const ip = `10.200.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const sku = await createSellableSku({ onHand: 20 });
    for (let n = 0; n < MAX_LIVE_HOLDS_PER_CLIENT; n++)
      expect((await waitFor(await readyCartOverHttp([{ sku, quantity: 1 }]), ip)).status).toBe(202);
    expect(await lockOf(sku)).toMatchObject({ reserved: MAX_LIVE_HOLDS_PER_CLIENT });
    const refused = await waitFor(await readyCartOverHttp([{ sku, quantity: 1 }]), ip);
    expect(refused.status).toBe(429);
    expect(refused.response.headers.get("Retry-After")).toBe("60");
    expect(await lockOf(sku)).toMatchObject({ reserved: MAX_LIVE_HOLDS_PER_CLIENT });
    expect((await waitFor(await readyCartOverHttp([{ sku, quantity: 1 }]), "10.201.0.1")).status).toBe(202);
  });

  it("keeps the bound under parallel requests: six checkouts at once from one address, at most three hold stock", async () => {
    const ip = `10.204.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const sku = await createSellableSku({ onHand: 20 });
    const carts = await Promise.all(Array.from({ length: 6 }, () => readyCartOverHttp([{ sku, quantity: 1 }])));
    const answers = await Promise.all(carts.map((cartId) => waitFor(cartId, ip)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 202).length).toBeLessThanOrEqual(MAX_LIVE_HOLDS_PER_CLIENT);
    expect(statuses.every((status) => status === 202 || status === 429)).toBe(true);
    expect((await lockOf(sku)).reserved).toBeLessThanOrEqual(MAX_LIVE_HOLDS_PER_CLIENT);
  });

  it(`refuses more than ${MAX_UNITS_PER_SKU_PER_CHECKOUT} units of one SKU in a checkout with a 422 blocker, before any hold`, async () => {
    const sku = await createSellableSku({ onHand: 50 });
    const cartId = await readyCartOverHttp([{ sku, quantity: MAX_UNITS_PER_SKU_PER_CHECKOUT + 1 }]);
    const refused = await postCheckout(cartId);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ blockers: ["quantity_above_hold_limit"] });
    expect(await lockOf(sku)).toMatchObject({ reserved: 0 });
    const atLimit = await readyCartOverHttp([{ sku, quantity: MAX_UNITS_PER_SKU_PER_CHECKOUT }]);
    expect((await postCheckout(atLimit)).status).toBe(201);
  });

  it("keeps a waiting checkout when the new one is refused (a wrong expected total), or comes from another address", async () => {
    const sku = await createSellableSku({ onHand: 2 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    const waiting = await waitFor(cartId, "10.203.0.1");
    const first = waiting.body as unknown as { checkoutId: string };
    const refused = await postCheckout(cartId, {
      body: { cartId, paymentMethod: "pm_card_visa", expectedTotal: { amount: 1, currency: "EUR" } },
      headers: from("10.203.0.1"),
    });
    expect(refused.status).toBe(409);
    const elsewhere = await postCheckout(cartId, {
      body: { cartId, paymentMethod: "pm_card_visa" },
      headers: from("10.203.0.2"),
    });
    expect(elsewhere.status).toBe(409);
    expect((await callJson<{ status: string }>(`/v1/checkouts/${first.checkoutId}`)).body).toMatchObject({
      status: "requires_action",
    });
    expect(await lockOf(sku)).toMatchObject({ reserved: 1 });
  });

  it("releases the buyer's waiting checkout of the cart when they start another: its payment cancelled, the new one paid", async () => {
    const sku = await createSellableSku({ onHand: 2 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 2 }]);
    const waiting = await waitFor(cartId, "10.202.0.1");
    expect(waiting.status).toBe(202);
    const first = waiting.body as unknown as { checkoutId: string };
    // the buyer closed the bank page and pays with another card: no 409 "in progress" until the window ends
    const second = await postCheckout(cartId, {
      body: { cartId, paymentMethod: "pm_card_visa" },
      headers: from("10.202.0.1"),
    });
    expect(second.status).toBe(201);
    const old = await callJson<{ status: string; detail: string }>(`/v1/checkouts/${first.checkoutId}`);
    expect(old.body).toMatchObject({ status: "expired", detail: expect.stringContaining("another checkout") });
    expect(
      await db()
        .select({ status: testProviderCharges.status })
        .from(testProviderCharges)
        .where(eq(testProviderCharges.checkoutId, first.checkoutId))
        .all(),
    ).toEqual([{ status: "canceled" }]);
    expect(await lockOf(sku)).toMatchObject({ onHand: 0, reserved: 0 });
  });
});
