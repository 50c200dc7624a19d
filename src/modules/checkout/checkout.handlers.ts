/** Thin handler: parse → service → shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { ValidationError } from "../../platform/errors";
import { FAULT_HEADER, faultsFromHeader } from "../../platform/faults";
import { cartTtlMs } from "../cart/cart.access";
import { flushOutbox } from "../jobs/relay";
import { paymentProviderFor } from "../payments/payments.service";
import type * as routes from "./checkout.routes";
import { runCheckout } from "./checkout.service";

export const checkout: RouteHandler<typeof routes.checkout, AppBindings> = async (c) => {
  const claim = c.get("idempotency");
  // the idempotency middleware claims every POST that carries the key, and this route requires it
  if (!claim) throw new ValidationError({ detail: "Idempotency-Key is required", errors: [{ path: "headers.Idempotency-Key", message: "required" }] });
  const { cartId, paymentMethod } = c.req.valid("json");
  const timings = c.get("timings");
  const faults = faultsFromHeader(c.get("config").APP_ENV, c.req.header(FAULT_HEADER));
  const background = (work: Promise<unknown>) => c.executionCtx.waitUntil(work);
  const deps = { db: c.get("db"), env: c.env, payments: paymentProviderFor(c.env, c.get("config"), timings), timings, faults, background };
  const order = await runCheckout(deps, { cartId, paymentMethod, caller: c.get("caller"), claim, cartTtlMs: cartTtlMs(c.env) });
  c.executionCtx.waitUntil(flushOutbox(c.env)); // order.created → confirmation email now, not at the next cron
  return c.json(order, 201);
};
