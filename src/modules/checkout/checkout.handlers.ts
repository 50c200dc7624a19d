/** Thin handler: parse → service → shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { ValidationError } from "../../platform/errors";
import { FAULT_HEADER, faultsFromHeader } from "../../platform/faults";
import { clientKeyOf } from "../../platform/origin";
import { replayResponse } from "../../middleware/idempotency";
import { cartTtlMs } from "../cart/cart.access";
import { flushOutbox } from "../jobs/relay";
import { paymentProviderFor } from "../payments/payments.service";
import type * as routes from "./checkout.routes";
import { runCheckout } from "./checkout.service";

export const checkout: RouteHandler<typeof routes.checkout, AppBindings> = async (c) => {
  const ticket = c.get("idempotencyTicket");
  // the idempotency middleware hands this route every POST that carries the key, and the route requires it
  if (!ticket) throw new ValidationError({ detail: "Idempotency-Key is required", errors: [{ path: "headers.Idempotency-Key", message: "required" }] });
  const { cartId, paymentMethod, expectedTotal } = c.req.valid("json");
  const consent = { ifMatch: c.req.valid("header")["if-match"], expectedTotal };
  const timings = c.get("timings");
  const faults = faultsFromHeader(c.get("config").APP_ENV, c.req.header(FAULT_HEADER));
  const background = (work: () => Promise<unknown>) => c.executionCtx.waitUntil(work());
  // primary: the claim and the live-checkout lookups decide races and must not read a lagging replica
  const deps = { db: c.get("primaryDb"), env: c.env, payments: paymentProviderFor(c.env, c.get("config"), timings, clientKeyOf(c)), timings, faults, background };
  const answer = await runCheckout(deps, { cartId, paymentMethod, consent, caller: c.get("caller"), ticket, cartTtlMs: cartTtlMs(c.env) });
  // an answer this key already got is replayed byte for byte, which the typed c.json cannot express
  if (answer.kind === "replay") return replayResponse(answer.answer) as never;
  c.executionCtx.waitUntil(flushOutbox(c.env)); // order.created → confirmation email now, not at the next cron
  return c.json(answer.order, 201);
};
