/** Thin handlers: parse → service → shape. */
import { flushOutbox } from "../jobs/relay";
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppBindings } from "../../platform/context";
import { paymentProviderFor } from "../payments/payments.service";
import type * as routes from "./orders.routes";
import * as service from "./orders.service";
import { actorOf, clientKeyOf } from "../../platform/origin";
import { sha256Hex } from "../../platform/crypto";
import { fulfillOrder } from "./fulfill-order";
import { refundOrder } from "./refund-order";
import { captureOrder } from "./capture-order";

export function ordersDeps(c: Context<AppBindings>): service.OrdersDeps {
  return {
    db: c.get("db"),
    env: c.env,
    payments: paymentProviderFor(c.env, c.get("config"), c.get("timings"), clientKeyOf(c)),
    timings: c.get("timings"),
  };
}

export const listMine: RouteHandler<typeof routes.listMine, AppBindings> = async (c) => {
  const caller = c.get("caller");
  if (!caller) throw new Error("requireUser() guards this route");
  return c.json(await service.listMyOrders(c.get("db"), caller, c.req.valid("query")), 200);
};

export const getOne: RouteHandler<typeof routes.getOne, AppBindings> = async (c) => {
  const order = await service.getOrder(c.get("db"), c.get("caller"), c.req.valid("param").id);
  c.header("Cache-Control", "private, no-store");
  return c.json(order, 200);
};

export const cancel: RouteHandler<typeof routes.cancel, AppBindings> = async (c) => {
  const body = c.req.header("Content-Type") ? c.req.valid("json") : {};
  const order = await service.cancelOrder(ordersDeps(c), c.get("caller"), c.req.valid("param").id, body?.reason);
  c.executionCtx.waitUntil(flushOutbox(c.env));
  return c.json(order, 200);
};

export const adminList: RouteHandler<typeof routes.adminList, AppBindings> = async (c) => {
  return c.json(await service.listAllOrders(c.get("db"), c.req.valid("query")), 200);
};

export const adminTransition: RouteHandler<typeof routes.adminTransition, AppBindings> = async (c) => {
  const caller = c.get("caller");
  if (!caller) throw new Error("requirePermission() guards this route");
  const { to, reason } = c.req.valid("json");
  const order = await service.transitionOrder(ordersDeps(c), {
    orderId: c.req.valid("param").id,
    to,
    actor: caller.userId,
    reason,
  });
  c.executionCtx.waitUntil(flushOutbox(c.env));
  return c.json(order, 200);
};

export const adminGet: RouteHandler<typeof routes.adminGet, AppBindings> = async (c) => {
  c.header("Cache-Control", "private, no-store");
  return c.json(await service.getAdminOrder(c.get("db"), c.req.valid("param").id), 200);
};

/**
 * The Idempotency-Key (scoped to the caller) names the refund or parcel it makes, so a retry whose
 * first answer was lost (its claim went stale) finds it instead of acting twice.
 */
async function requestKeyOf(c: Context<AppBindings>): Promise<string | undefined> {
  const claim = c.get("idempotency");
  return claim ? (await sha256Hex(`${claim.scope}:${claim.key}`)).slice(0, 32) : undefined;
}

export const adminFulfill: RouteHandler<typeof routes.adminFulfill, AppBindings> = async (c) => {
  const fulfillment = await fulfillOrder(ordersDeps(c), {
    orderId: c.req.valid("param").id,
    actor: actorOf(c),
    requestKey: await requestKeyOf(c),
    ...c.req.valid("json"),
  });
  c.executionCtx.waitUntil(flushOutbox(c.env));
  return c.json(fulfillment, 201);
};

export const adminRefund: RouteHandler<typeof routes.adminRefund, AppBindings> = async (c) => {
  const refund = await refundOrder(ordersDeps(c), {
    orderId: c.req.valid("param").id,
    actor: actorOf(c),
    requestKey: await requestKeyOf(c),
    ...c.req.valid("json"),
  });
  c.executionCtx.waitUntil(flushOutbox(c.env));
  return c.json(refund, 201);
};

export const adminCapture: RouteHandler<typeof routes.adminCapture, AppBindings> = async (c) => {
  const order = await captureOrder(ordersDeps(c), {
    orderId: c.req.valid("param").id,
    actor: actorOf(c),
    amount: c.req.valid("json").amount,
  });
  c.executionCtx.waitUntil(flushOutbox(c.env));
  return c.json(order, 200);
};
