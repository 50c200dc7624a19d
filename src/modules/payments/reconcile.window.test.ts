/**
 * Reconciliation walks its WHOLE window and never refunds a completed checkout's charge:
 * - an orphan older than many pages of newer charges is still found and refunded (test provider and
 *   Stripe);
 * - the stored watermark advances, and the next run reads only from it minus the overlap;
 * - a completed checkout whose order the run does not see (the order batch committed between the
 *   reads) is recorded as a mismatch, never refunded.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../db/client";
import { checkouts, paymentMismatches, testProviderRefunds } from "../../db/schema";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import type { ChargeListQuery, PaymentProvider, ProviderCharge } from "./payment-provider";
import { paymentProviderFor } from "./payments.service";
import { reconcilePayments, RECONCILE_OVERLAP_MS, RECONCILE_WINDOW_MS } from "./reconcile";
import { orphanCharge } from "./reconcile.fixtures";
import { applyPaymentEvent } from "../orders/apply-payment-event";
import { parsePaymentEvent } from "./payment-event";
import { StripePaymentProvider } from "./stripe-provider";
import { installFakeStripe } from "./stripe.fixtures";

const db = () => createDatabase(env.DB);
const refundsOf = (paymentId: string) =>
  db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all();
const mismatchesOf = (paymentId: string) =>
  db().select().from(paymentMismatches).where(eq(paymentMismatches.paymentId, paymentId)).all();

/** Records every list call a provider answers. */
function recording(real: PaymentProvider) {
  const queries: unknown[] = [];
  const provider: PaymentProvider = {
    ...real,
    name: real.name,
    charge: (input) => real.charge(input),
    refund: (input) => real.refund(input),
    verifyWebhook: (raw, headers) => real.verifyWebhook(raw, headers),
    listCharges: (query) => (queries.push(query), real.listCharges(query)),
  };
  return { provider, queries };
}

const NEWER = 2_100;

async function compensatedCheckout(checkoutId: string, at: number) {
  await db()
    .insert(checkouts)
    .values({
      id: checkoutId,
      requestKey: newId("rk"),
      cartId: newId("cart"),
      state: "compensated",
      paymentMethod: "pm_card_visa",
      amount: 1_800,
      currency: "EUR",
      snapshot: { orderId: newId("ord") },
      orderId: newId("ord"),
      createdAt: at,
      updatedAt: at,
    })
    .run();
}

describe("reconciliation reads its whole window", () => {
  it("finds and refunds an orphan (test provider) older than 2,100 newer charges, in pages of at most 100", async () => {
    const { paymentId, checkoutId } = await orphanCharge("compensated");
    const orphanAt = (
      await env.DB.prepare("SELECT created_at AS t FROM test_provider_charges WHERE id = ?")
        .bind(paymentId)
        .first<{ t: number }>()
    )?.t as number;
    // NEWER later charges (already refunded, so they need nothing), written directly into the provider's ledger
    const prefix = newId("bulk");
    await env.DB.prepare(
      `INSERT INTO test_provider_charges (id, provider, idempotency_key, request_hash, amount, amount_refunded, currency,
         payment_method, status, checkout_id, order_id, refund_failures, created_at)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       SELECT ? || '_' || i, 'test', ? || '_' || i, 'x', 1000, 1000, 'EUR', 'pm_card_visa', 'refunded',
         ? || '_' || i, NULL, 0, ? + i FROM n`,
    )
      .bind(NEWER, prefix, prefix, prefix, orphanAt)
      .run();
    const { provider, queries } = recording(paymentProviderFor(env, configOf(env)));
    const report = await reconcilePayments(db(), provider, orphanAt + NEWER + 10, orphanAt - 1_000);
    expect(report.orphansRefunded).toBe(1);
    expect(await refundsOf(paymentId)).toMatchObject([{ amount: 1_800, idempotencyKey: `${checkoutId}:refund` }]);
    expect(queries.length).toBeGreaterThan(NEWER / 100);
    for (const query of queries) expect(query).toMatchObject({ limit: expect.any(Number) as number });
    expect(Math.max(...queries.map((query) => (query as ChargeListQuery).limit ?? 0))).toBeLessThanOrEqual(100);
  });

  it("finds and refunds an orphan (Stripe) older than 2,100 newer intents", async () => {
    const fake = installFakeStripe();
    const now = Date.now();
    const checkoutId = newId("chk");
    await compensatedCheckout(checkoutId, now - 3_600_000);
    const created = Math.floor((now - 3_600_000) / 1000);
    // the orphan first: Stripe lists newest first, so it is on the last page
    fake.intents.set("pi_orphan", {
      id: "pi_orphan",
      object: "payment_intent",
      amount: 1_800,
      currency: "eur",
      status: "succeeded",
      created,
      metadata: { motor_checkout_id: checkoutId, motor_order_id: "ord_x" },
      refunded: 0,
      client_secret: "pi_orphan_secret",
      failsAuthentication: false,
    });
    for (let index = 0; index < NEWER; index++) {
      fake.intents.set(`pi_newer${index}`, {
        id: `pi_newer${index}`,
        object: "payment_intent",
        amount: 1_000,
        currency: "eur",
        status: "succeeded",
        created: created + 1 + Math.floor(index / 2),
        metadata: { motor_checkout_id: `chk_bulk${index}` },
        refunded: 1_000,
        client_secret: `pi_newer${index}_secret`,
        failsAuthentication: false,
      });
    }
    const stripe = new StripePaymentProvider({ secretKey: "sk_test_motor", webhookSecret: "whsec_motor" });
    const report = await reconcilePayments(db(), stripe, now, now - 2 * 3_600_000);
    expect(report.orphansRefunded).toBe(1);
    expect(fake.intents.get("pi_orphan")?.refunded).toBe(1_800);
    const refund = fake.seen.find((request) => request.url.endsWith("/v1/refunds"));
    expect(refund?.headers.get("Idempotency-Key")).toBe(`${checkoutId}:refund`);
    // every list call within Stripe's parameters (the fake refuses the rest)
    for (const request of fake.seen.filter((seen) => seen.method === "GET"))
      expect(Number(new URL(request.url).searchParams.get("limit"))).toBeLessThanOrEqual(100);
  });
});

/** An in-memory provider whose list pages like Stripe's, for watermark arithmetic. */
function ledger(charges: ProviderCharge[]) {
  const queries: ChargeListQuery[] = [];
  const provider: PaymentProvider = {
    name: "test",
    charge: () => Promise.reject(new Error("not used")),
    refund: (input) =>
      Promise.resolve({
        refundId: newId("re"),
        paymentId: input.paymentId,
        amount: input.amount ?? 0,
        status: "succeeded",
      }),
    verifyWebhook: () => Promise.reject(new Error("not used")),
    capture: () => Promise.reject(new Error("not used")),
    voidAuthorization: () => Promise.reject(new Error("not used")),
    listCharges: (query) => {
      queries.push(query);
      const all = charges
        .filter((charge) => charge.createdAt >= query.since && charge.createdAt < query.until)
        .sort((a, b) => b.createdAt - a.createdAt);
      const start = query.cursor ? all.findIndex((charge) => charge.paymentId === query.cursor) + 1 : 0;
      const limit = query.limit ?? 100;
      const data = all.slice(start, start + limit);
      return Promise.resolve({
        data,
        nextCursor: start + limit < all.length ? (data.at(-1)?.paymentId ?? null) : null,
      });
    },
  };
  return { provider, queries };
}

const watermarkOf = async () =>
  (
    await env.DB.prepare("SELECT reached_at AS t FROM payment_reconcile_watermarks WHERE provider = 'test'").first<{
      t: number;
    }>()
  )?.t;

describe("the reconciliation watermark", () => {
  it("starts with 48 h, stores where the run reached, and the next run reads only from there minus the overlap", async () => {
    await env.DB.prepare("DELETE FROM payment_reconcile_watermarks").run();
    const t = Date.now();
    const first = ledger([]);
    await reconcilePayments(db(), first.provider, t);
    expect(Math.min(...first.queries.map((query) => query.since))).toBe(t - RECONCILE_WINDOW_MS);
    expect(await watermarkOf()).toBe(t + 1);

    const later = t + 15 * 60_000;
    const second = ledger([]);
    await reconcilePayments(db(), second.provider, later);
    expect(Math.min(...second.queries.map((query) => query.since))).toBe(t + 1 - RECONCILE_OVERLAP_MS);
    expect(Math.max(...second.queries.map((query) => query.until))).toBe(later + 1);
    expect(await watermarkOf()).toBe(later + 1);
  });

  it("holds the watermark at a charge whose checkout is still live, so a later run looks at it again", async () => {
    await env.DB.prepare("DELETE FROM payment_reconcile_watermarks").run();
    const t = Date.now();
    const checkoutId = newId("chk");
    await db()
      .insert(checkouts)
      .values({
        id: checkoutId,
        requestKey: newId("rk"),
        cartId: newId("cart"),
        state: "charging",
        paymentMethod: "pm_card_visa",
        amount: 1_800,
        currency: "EUR",
        snapshot: { orderId: "ord_x" },
        orderId: "ord_x",
        createdAt: t,
        updatedAt: t,
      })
      .run();
    const live: ProviderCharge = {
      paymentId: newId("pay"),
      checkoutId,
      orderId: null,
      amount: 1_800,
      amountRefunded: 0,
      currency: "EUR",
      status: "succeeded",
      createdAt: t - 5 * 60_000,
    };
    await reconcilePayments(db(), ledger([live]).provider, t);
    expect(await watermarkOf()).toBe(live.createdAt);
    // the checkout gave up and was compensated without knowing the charge: the next run refunds it
    await db().update(checkouts).set({ state: "compensated" }).where(eq(checkouts.id, checkoutId)).run();
    const next = ledger([live]);
    const report = await reconcilePayments(db(), next.provider, t + 15 * 60_000);
    expect(report.orphansRefunded).toBe(1);
    expect(await watermarkOf()).toBe(t + 15 * 60_000 + 1);
  });
});

describe("reconciliation never refunds a completed checkout's charge (the order committed between the reads)", () => {
  it("records a mismatch instead, and refunds nothing", async () => {
    // what a run sees when the order batch commits between its reads: the checkout completed, no order yet
    const { paymentId, since } = await orphanCharge("completed");
    const report = await reconcilePayments(db(), paymentProviderFor(env, configOf(env)), Date.now(), since);
    expect(report.orphansRefunded).toBe(0);
    expect(await refundsOf(paymentId)).toEqual([]);
    expect(await mismatchesOf(paymentId)).toMatchObject([{ kind: "orphan_charge", status: "open", action: null }]);
  });
});

describe("payment_intent.succeeded for a charge no order keeps", () => {
  const succeeded = (paymentId: string, checkoutId: string) =>
    parsePaymentEvent(
      "test",
      JSON.stringify({
        id: newId("evt"),
        type: "payment_intent.succeeded",
        data: {
          object: { id: paymentId, amount: 1_800, currency: "eur", metadata: { motor_checkout_id: checkoutId } },
        },
      }),
    );

  it("is refunded from the webhook once its checkout has ended (compensated), with the compensation's key", async () => {
    const { paymentId, checkoutId } = await orphanCharge("compensated");
    await applyPaymentEvent(db(), succeeded(paymentId, checkoutId), env);
    await applyPaymentEvent(db(), succeeded(paymentId, checkoutId), env);
    expect(await refundsOf(paymentId)).toMatchObject([{ amount: 1_800, idempotencyKey: `${checkoutId}:refund` }]);
  });

  it.each(["charging", "completed"] as const)("is never refunded while its checkout is %s", async (state) => {
    const { paymentId, checkoutId } = await orphanCharge(state);
    await applyPaymentEvent(db(), succeeded(paymentId, checkoutId), env);
    expect(await refundsOf(paymentId)).toEqual([]);
  });
});
