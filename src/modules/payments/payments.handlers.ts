import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { applyPaymentEvent } from "../orders/apply-payment-event";
import type * as routes from "./payments.routes";
import { receivePaymentWebhook } from "./payments.service";

export const receiveWebhook: RouteHandler<typeof routes.receiveWebhook, AppBindings> = async (c) => {
  const { provider } = c.req.valid("param");
  const rawBody = await c.req.text();
  const db = c.get("db");
  const outcome = await receivePaymentWebhook(c.env, db, provider, rawBody, c.req.raw.headers, (database, event) =>
    applyPaymentEvent(database, event, c.env),
  );
  return c.json({ received: true as const, ...outcome }, 200);
};
