/** Thin handler: parse → service → shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppBindings } from "../../platform/context";
import { ValidationError } from "../../platform/errors";
import { CAPTURE_HEADER, captureOverride, FAULT_HEADER, faultsFromHeader } from "../../platform/faults";
import { clientKeyOf } from "../../platform/origin";
import { answerIsNotFinal, replayResponse } from "../../middleware/idempotency";
import { PaymentDeclinedError } from "../payments/payments.errors";
import { cartTtlMs } from "../cart/cart.access";
import { flushOutbox } from "../jobs/relay";
import { paymentProviderFor } from "../payments/payments.service";
import type * as routes from "./checkout.routes";
import { allowedReturnUrl } from "./checkout.return-url";
import {
  checkoutStatus as checkoutStatusOf,
  completeCheckout as completeWaitingCheckout,
  payWithAnotherMethod as payAgain,
  runCheckout,
  type CheckoutAnswer,
  type CheckoutDeps,
} from "./checkout.service";

/** How often a page should poll a checkout that waits for the buyer. */
const ACTION_POLL_SECONDS = 2;

export const checkout: RouteHandler<typeof routes.checkout, AppBindings> = async (c) => {
  const ticket = c.get("idempotencyTicket");
  // the idempotency middleware hands this route every POST that carries the key, and the route requires it
  if (!ticket)
    throw new ValidationError({
      detail: "Idempotency-Key is required",
      errors: [{ path: "headers.Idempotency-Key", message: "required" }],
    });
  const { cartId, paymentMethod, expectedTotal, returnUrl } = c.req.valid("json");
  const consent = { ifMatch: c.req.valid("header")["if-match"], expectedTotal };
  const returnTo = returnUrl && allowedReturnUrl(returnUrl, c.get("config"));
  const captureMethod =
    captureOverride(c.get("config").APP_ENV, c.req.header(CAPTURE_HEADER)) ?? c.get("config").PAYMENT_CAPTURE;
  const request = {
    cartId,
    paymentMethod,
    consent,
    caller: c.get("caller"),
    ticket,
    cartTtlMs: cartTtlMs(c.env),
    returnUrl: returnTo,
    clientKey: clientKeyOf(c),
    captureMethod,
  };
  const answer = await runCheckout(checkoutDeps(c), request).catch((error: unknown) => {
    // the checkout still takes another card: this 402 is not the key's last word
    if (error instanceof PaymentDeclinedError && error.extensions?.retryUntil) answerIsNotFinal(c);
    throw error;
  });
  // an answer this key already got is replayed byte for byte, which the typed c.json cannot express
  if (answer.kind === "replay") return replayResponse(answer.answer) as never;
  return respond(c, answer);
};

export const checkoutStatus: RouteHandler<typeof routes.checkoutStatus, AppBindings> = async (c) => {
  // primary: a page polls this right after the webhook or its own complete call moved the checkout
  return c.json(await checkoutStatusOf({ db: c.get("primaryDb") }, c.req.valid("param").id, c.get("caller")), 200);
};

export const completeCheckout: RouteHandler<typeof routes.completeCheckout, AppBindings> = async (c) => {
  return respond(c, await completeWaitingCheckout(checkoutDeps(c), c.req.valid("param").id, c.get("caller"))) as never;
};

export const payWithAnotherMethod: RouteHandler<typeof routes.payWithAnotherMethod, AppBindings> = async (c) => {
  const { paymentMethod, returnUrl } = c.req.valid("json");
  const returnTo = returnUrl && allowedReturnUrl(returnUrl, c.get("config"));
  return respond(
    c,
    await payAgain(checkoutDeps(c), c.req.valid("param").id, c.get("caller"), { paymentMethod, returnUrl: returnTo }),
  ) as never;
};

function checkoutDeps(c: Context<AppBindings>): CheckoutDeps {
  const timings = c.get("timings");
  const faults = faultsFromHeader(c.get("config").APP_ENV, c.req.header(FAULT_HEADER));
  const background = (work: () => Promise<unknown>) => c.executionCtx.waitUntil(work());
  // primary: the claim and the live-checkout lookups decide races and must not read a lagging replica
  return {
    db: c.get("primaryDb"),
    env: c.env,
    payments: paymentProviderFor(c.env, c.get("config"), timings, clientKeyOf(c)),
    timings,
    faults,
    background,
  };
}

/** 201 with the order; 202 while the payment waits for the buyer (Retry-After: not stored as the key's final answer). */
function respond(c: Context<AppBindings>, answer: Exclude<CheckoutAnswer, { kind: "replay" }>) {
  if (answer.kind === "action") {
    return c.json(
      { checkoutId: answer.checkoutId, status: "requires_action" as const, nextAction: answer.nextAction },
      202,
      { "Retry-After": String(ACTION_POLL_SECONDS) },
    );
  }
  c.executionCtx.waitUntil(flushOutbox(c.env)); // order.created → confirmation email now, not at the next cron
  return c.json(answer.order, 201);
}
