/**
 * A checkout that waits for the buyer (3-D Secure), finished three ways — the returning
 * browser's complete, the provider's webhook, the sweep — in any order and any number of times,
 * with exactly one order; the buyer's own checkout only; the return URL on the allow-list; and the
 * window, after which the payment is cancelled and the stock released.
 */
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { createUser } from "../../../test/helpers/auth";
import { BASE_URL, callJson } from "../../../test/helpers/http";
import { checkouts, orders, testProviderCharges } from "../../db/schema";
import { configOf } from "../../env";
import { stockLockFor } from "../inventory/inventory.service";
import { paymentProviderFor } from "../payments/payments.service";
import { TestPaymentProvider } from "../payments/test-provider";
import {
  deliverTestProviderEvent,
  paymentEventBody,
  TEST_PROVIDER_EVENT,
  testProviderEventConsumer,
} from "../payments/test-provider.events";
import { newBatchScope } from "../../queues/consumer-types";
import { newId } from "../../platform/ids";
import { checkoutDb as db, postCheckout, readyCartOverHttp, sweepDue } from "./checkout.fixtures";
import { BUYER_ACTION_WINDOW_MS } from "./checkout.policy";
import { findCheckout } from "./checkout.repository";

beforeAll(ensurePricingRules);

const RETURN_URL = "http://localhost:3000/checkout/return";
const lockOf = (sku: string) => stockLockFor(env, sku).snapshot(sku);
const sweepAt = (now: number) => sweepDue({ db: db(), env, payments: paymentProviderFor(env, configOf(env)) }, now);
const chargesOf = (checkoutId: string) =>
  db().select().from(testProviderCharges).where(eq(testProviderCharges.checkoutId, checkoutId)).all();
const ordersOf = (checkoutId: string) => db().select().from(orders).where(eq(orders.checkoutId, checkoutId)).all();

interface ActionAnswer {
  checkoutId: string;
  status: string;
  nextAction: { type: string; url: string };
  detail?: string;
  declineCode?: string;
  id?: string;
}

async function waitingCheckout(paymentMethod = "pm_card_threeDSecureRequired", token?: string) {
  const sku = await createSellableSku({ onHand: 3 });
  const cartId = await readyCartOverHttp([{ sku, quantity: 2 }], token ? { token } : {});
  const key = crypto.randomUUID();
  const body = { cartId, paymentMethod, returnUrl: RETURN_URL };
  const first = await postCheckout(cartId, { key, body, ...(token ? { token } : {}) });
  expect(first.status, JSON.stringify(first.body)).toBe(202);
  const answer = first.body as unknown as ActionAnswer;
  return { sku, cartId, key, body, answer, first };
}

/** The buyer on the test bank's page: the path of `nextAction.url`, then the button (its redirect is not followed). */
const authenticate = (url: string, choice: "complete" | "fail", webhook = "never") =>
  exports.default.fetch(
    new Request(`${BASE_URL}${new URL(url).pathname}/${choice}?webhook=${webhook}`, {
      method: "POST",
      redirect: "manual",
    }),
  );
const complete = (checkoutId: string, token?: string) =>
  callJson<ActionAnswer & { id: string; total: number }>(`/v1/checkouts/${checkoutId}/complete`, {
    method: "POST",
    ...(token ? { token } : {}),
  });
const statusOf = (checkoutId: string, token?: string) =>
  callJson<ActionAnswer & { orderId?: string }>(`/v1/checkouts/${checkoutId}`, token ? { token } : {});

describe("a checkout that waits for the buyer (3-D Secure)", () => {
  it("answers 202 with where to send the buyer, holds the stock, and replays the same 202 while it waits", async () => {
    const { sku, cartId, key, body, answer, first } = await waitingCheckout();
    expect(answer).toMatchObject({
      checkoutId: expect.stringMatching(/^chk_/),
      status: "requires_action",
      nextAction: { type: "redirect", url: expect.stringContaining("/test-provider/authenticate/pay_") },
    });
    expect(first.response.headers.get("Retry-After")).toBe("2");
    expect(await lockOf(sku)).toMatchObject({ reserved: 2 });
    const replay = await postCheckout(cartId, { key, body });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual(first.body);
    expect((await statusOf(answer.checkoutId)).body).toMatchObject({
      id: answer.checkoutId,
      status: "requires_action",
      nextAction: answer.nextAction,
    });
    expect((await complete(answer.checkoutId)).status).toBe(202);
    // nothing is captured while the buyer has not authenticated
    expect(await chargesOf(answer.checkoutId)).toMatchObject([{ status: "requires_action", amountRefunded: 0 }]);
  });

  it("completes from the provider's word once the buyer authenticated: one order, however often complete and key replay", async () => {
    const { sku, cartId, key, body, answer } = await waitingCheckout();
    const back = await authenticate(answer.nextAction.url, "complete");
    expect(back.status).toBe(303);
    expect(back.headers.get("Location")).toBe(
      `${RETURN_URL}?payment_intent=${(await chargesOf(answer.checkoutId))[0]?.id}`,
    );
    const answers = await Promise.all([
      complete(answer.checkoutId),
      complete(answer.checkoutId),
      postCheckout(cartId, { key, body }),
    ]);
    expect(answers.map((one) => one.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((one) => (one.body as { id: string }).id)).size).toBe(1);
    expect(await ordersOf(answer.checkoutId)).toHaveLength(1);
    expect(await chargesOf(answer.checkoutId)).toMatchObject([{ status: "succeeded" }]);
    expect((await statusOf(answer.checkoutId)).body).toMatchObject({
      status: "completed",
      orderId: (answers[0]?.body as { id: string }).id,
    });
    expect(await lockOf(sku)).toMatchObject({ onHand: 1, reserved: 0 });
  });

  it("answers 402 when the authentication fails, charges nothing, and holds the stock for another card until the window ends", async () => {
    const { sku, answer } = await waitingCheckout("pm_card_threeDSecureFail");
    expect((await authenticate(answer.nextAction.url, "complete")).status).toBe(303);
    const failed = await complete(answer.checkoutId);
    expect(failed.status).toBe(402);
    expect(failed.body).toMatchObject({ declineCode: "authentication_failed" });
    expect(await lockOf(sku)).toMatchObject({ onHand: 3, reserved: 2 });
    expect((await complete(answer.checkoutId)).status).toBe(402);
    const checkout = await findCheckout(db(), answer.checkoutId);
    const retryUntil = new Date((checkout?.createdAt ?? 0) + BUYER_ACTION_WINDOW_MS).toISOString();
    expect((await statusOf(answer.checkoutId)).body).toEqual({
      id: answer.checkoutId,
      status: "failed",
      detail: expect.stringContaining("not authenticated"),
      retryUntil,
    });
    await sweepAt((checkout?.createdAt ?? 0) + BUYER_ACTION_WINDOW_MS);
    expect(await lockOf(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    expect((await statusOf(answer.checkoutId)).body).toEqual({
      id: answer.checkoutId,
      status: "failed",
      detail: expect.stringContaining("not authenticated"),
    });
    expect((await complete(answer.checkoutId)).status).toBe(402);
    expect(await ordersOf(answer.checkoutId)).toEqual([]);
  });

  it("cancels the payment of a failed authentication at once, and again before the hold is released when the window ends", async () => {
    const { answer } = await waitingCheckout("pm_card_threeDSecureFail");
    await authenticate(answer.nextAction.url, "complete");
    const provider = paymentProviderFor(env, configOf(env));
    const cancelled: string[] = [];
    const watching = {
      ...provider,
      cancelCharge: async (paymentId: string) => (
        cancelled.push(paymentId),
        provider.cancelCharge?.(paymentId) ?? Promise.reject(new Error("no cancel"))
      ),
    };
    const checkout = await findCheckout(db(), answer.checkoutId);
    if (!checkout) throw new Error("no checkout");
    await sweepDue({ db: db(), env, payments: watching }, checkout.createdAt + 3 * 60_000);
    // (the sweep drives every due row: other tests' checkouts too)
    const ofThisCheckout = () => cancelled.filter((paymentId) => paymentId === checkout.nextAction?.paymentId).length;
    expect(ofThisCheckout()).toBe(1);
    // the window is open: the hold waits for another card
    expect((await findCheckout(db(), answer.checkoutId))?.state).toBe("requires_action");
    await sweepDue({ db: db(), env, payments: watching }, checkout.createdAt + BUYER_ACTION_WINDOW_MS);
    expect(ofThisCheckout()).toBe(2);
    expect((await findCheckout(db(), answer.checkoutId))?.state).toBe("compensated");
  });

  it("answers a replay of the key with the end the webhook or /complete reached, never with a second payment", async () => {
    const { cartId, key, body, answer } = await waitingCheckout("pm_card_threeDSecureFail");
    expect((await authenticate(answer.nextAction.url, "complete")).status).toBe(303);
    expect((await complete(answer.checkoutId)).status).toBe(402);
    const replay = await postCheckout(cartId, { key, body });
    expect(replay.status).toBe(402);
    expect(replay.body).toMatchObject({ declineCode: "authentication_failed" });
    // the replay started no second checkout of the cart, so no second payment
    expect(await db().select({ id: checkouts.id }).from(checkouts).where(eq(checkouts.cartId, cartId)).all()).toEqual([
      { id: answer.checkoutId },
    ]);
    expect(await chargesOf(answer.checkoutId)).toHaveLength(1);
  });

  it("is completed by the provider's webhook alone when the buyer's tab is gone", async () => {
    const { answer } = await waitingCheckout();
    expect((await authenticate(answer.nextAction.url, "complete", "before")).status).toBe(303);
    expect(await ordersOf(answer.checkoutId)).toHaveLength(1);
    expect((await statusOf(answer.checkoutId)).body).toMatchObject({ status: "completed" });
    // the browser coming back late still gets the one order
    expect((await complete(answer.checkoutId)).status).toBe(201);
    expect(await ordersOf(answer.checkoutId)).toHaveLength(1);
  });

  it("is cancelled by the sweep past the window: nothing charged, stock released, 409 checkout-expired; bank decides nothing", async () => {
    const { sku, answer } = await waitingCheckout();
    const checkout = await findCheckout(db(), answer.checkoutId);
    if (!checkout) throw new Error("no checkout");
    await sweepAt(checkout.createdAt + BUYER_ACTION_WINDOW_MS - 1_000);
    expect((await findCheckout(db(), answer.checkoutId))?.state).toBe("requires_action");
    await sweepAt(checkout.createdAt + BUYER_ACTION_WINDOW_MS);
    expect((await findCheckout(db(), answer.checkoutId))?.state).toBe("compensated");
    expect(await chargesOf(answer.checkoutId)).toMatchObject([{ status: "canceled" }]);
    expect(await lockOf(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    const late = await complete(answer.checkoutId);
    expect(late).toMatchObject({ status: 409, body: { type: expect.stringContaining("checkout-expired") } });
    expect((await statusOf(answer.checkoutId)).body).toMatchObject({ status: "expired" });
    expect((await authenticate(answer.nextAction.url, "complete")).status).toBe(303);
    expect(await chargesOf(answer.checkoutId)).toMatchObject([{ status: "canceled" }]);
    expect(await ordersOf(answer.checkoutId)).toEqual([]);
  });

  it("keeps the payment of a buyer who authenticated just before the window closed: the sweep's cancel loses to the order", async () => {
    const { answer } = await waitingCheckout();
    const checkout = await findCheckout(db(), answer.checkoutId);
    if (!checkout) throw new Error("no checkout");
    const provider = paymentProviderFor(env, configOf(env));
    // the buyer's click lands between the sweep's look and its cancel
    const racing = {
      ...provider,
      retrieveCharge: async (paymentId: string) => {
        const seen = await provider.retrieveCharge?.(paymentId);
        await authenticate(answer.nextAction.url, "complete");
        return seen ?? Promise.reject(new Error("no retrieve"));
      },
    };
    await sweepDue({ db: db(), env, payments: racing }, checkout.createdAt + BUYER_ACTION_WINDOW_MS);
    expect(await ordersOf(answer.checkoutId)).toHaveLength(1);
    expect(await chargesOf(answer.checkoutId)).toMatchObject([{ status: "succeeded" }]);
  });
});

describe("a payment the bank is still settling when the window ends", () => {
  it("is never released as expired: the sweep keeps asking, and the order is written once it succeeds", async () => {
    const { sku, answer } = await waitingCheckout();
    const checkout = await findCheckout(db(), answer.checkoutId);
    if (!checkout) throw new Error("no checkout");
    const provider = paymentProviderFor(env, configOf(env));
    // Stripe's `processing`: the buyer authenticated, the capture is not settled yet
    const settling = {
      ...provider,
      retrieveCharge: async (paymentId: string) => ({ paymentId, status: "processing" as const }),
      cancelCharge: () => Promise.reject(new Error("a settling payment is not cancelled")),
    };
    await sweepDue({ db: db(), env, payments: settling }, checkout.createdAt + BUYER_ACTION_WINDOW_MS + 60_000);
    expect((await findCheckout(db(), answer.checkoutId))?.state).toBe("requires_action");
    expect(await lockOf(sku)).toMatchObject({ reserved: 2 });
    await authenticate(answer.nextAction.url, "complete");
    await sweepAt(checkout.createdAt + BUYER_ACTION_WINDOW_MS + 2 * 60 * 60_000);
    expect(await ordersOf(answer.checkoutId)).toHaveLength(1);
  });
});

describe("who may see and finish a waiting checkout", () => {
  it("is its signed-in buyer only: another user, or no one, gets 404", async () => {
    const buyer = await createUser();
    const other = await createUser();
    const { answer } = await waitingCheckout("pm_card_threeDSecureRequired", buyer.token);
    expect((await statusOf(answer.checkoutId, buyer.token)).status).toBe(200);
    expect((await statusOf(answer.checkoutId, other.token)).status).toBe(404);
    expect((await statusOf(answer.checkoutId)).status).toBe(404);
    expect((await complete(answer.checkoutId, other.token)).status).toBe(404);
    expect((await callJson("/v1/checkouts/chk_0123456789ABCDEFGHIJKL")).status).toBe(404);
    expect((await callJson("/v1/checkouts/not-a-checkout")).status).toBe(400);
  });

  it.each([
    ["another origin", "https://evil.example/steal"],
    ["a lookalike host", "http://localhost:3000.evil.example/x"],
    ["credentials in the URL", "http://user:pass@localhost:3000/x"],
    ["a script URL", "javascript:alert(1)"],
    ["no URL at all", "not a url"],
    ["plain http off localhost on an allowed host", "http://shop.example/return"],
  ])("refuses a returnUrl with %s: 422, nothing reserved or charged", async (_label, returnUrl) => {
    const sku = await createSellableSku({ onHand: 3 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    const refused = await postCheckout(cartId, {
      body: { cartId, paymentMethod: "pm_card_threeDSecureRequired", returnUrl },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ errors: [{ path: "body.returnUrl" }] });
    expect(await lockOf(sku)).toMatchObject({ reserved: 0 });
  });
});

describe("the test provider's own webhook, through the JOBS queue", () => {
  it("completes the order from a queued event delivered twice (and the page sends nothing on a second click)", async () => {
    const { answer } = await waitingCheckout();
    const [charge] = await chargesOf(answer.checkoutId);
    if (!charge) throw new Error("no charge");
    const decided = await new TestPaymentProvider(db(), env.TEST_PAYMENT_WEBHOOK_SECRET).authenticate(
      charge.id,
      "complete",
    );
    if (!decided) throw new Error("not decided");
    const message = {
      id: newId("job"),
      type: TEST_PROVIDER_EVENT,
      version: 1,
      occurredAt: Date.now(),
      data: { body: paymentEventBody(decided) },
    };
    await testProviderEventConsumer.handle(message, env, newBatchScope());
    await testProviderEventConsumer.handle({ ...message, id: newId("job") }, env, newBatchScope());
    expect(await ordersOf(answer.checkoutId)).toHaveLength(1);
    expect(await chargesOf(answer.checkoutId)).toMatchObject([{ status: "succeeded" }]);
  });

  it("a forged event (not signed with the test secret) changes nothing", async () => {
    const { answer } = await waitingCheckout();
    const [charge] = await chargesOf(answer.checkoutId);
    const body = JSON.stringify({
      id: newId("evt"),
      type: "payment_intent.succeeded",
      data: {
        object: { id: charge?.id, object: "payment_intent", metadata: { motor_checkout_id: answer.checkoutId } },
      },
    });
    const forged = await callJson("/v1/webhooks/payments/test", {
      method: "POST",
      body,
      headers: { "Motor-Test-Signature": `t=${Math.floor(Date.now() / 1000)},v1=${"00".repeat(32)}` },
    });
    expect(forged.status).toBe(400);
    // even a genuine nudge decides nothing by itself: the checkout asks the provider, which still waits
    await deliverTestProviderEvent(env, body);
    expect((await findCheckout(db(), answer.checkoutId))?.state).toBe("requires_action");
    expect(await ordersOf(answer.checkoutId)).toEqual([]);
  });
});
