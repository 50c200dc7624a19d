import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { answerCarriesSecret } from "../../middleware/idempotency";
import { auditOrigin } from "../../platform/origin";
import { recordAudit } from "../audit/audit.service";
import type * as routes from "./webhooks.routes";
import * as service from "./webhooks.service";

export const registerWebhook: RouteHandler<typeof routes.registerWebhook, AppBindings> = async (c) => {
  const created = await service.registerEndpoint(c.get("db"), c.get("config").APP_ENV, c.req.valid("json"));
  await recordAudit(c.get("db"), auditOrigin(c), {
    action: "webhooks.registered",
    actorId: c.get("caller")?.userId,
    subject: created.id,
    details: { url: created.url, events: created.events },
  });
  // the signing secret is shown once, here: never kept in an idempotency record or a cache
  c.header("Cache-Control", "no-store");
  answerCarriesSecret(c);
  return c.json(created, 201);
};

export const listWebhooks: RouteHandler<typeof routes.listWebhooks, AppBindings> = async (c) => {
  c.header("Cache-Control", "no-store");
  return c.json(await service.listEndpoints(c.get("db")), 200);
};

export const deleteWebhook: RouteHandler<typeof routes.deleteWebhook, AppBindings> = async (c) => {
  const { id } = c.req.valid("param");
  await service.deleteEndpoint(c.get("db"), id);
  await recordAudit(c.get("db"), auditOrigin(c), {
    action: "webhooks.deleted",
    actorId: c.get("caller")?.userId,
    subject: id,
  });
  return c.body(null, 204);
};

export const listDeliveries: RouteHandler<typeof routes.listDeliveries, AppBindings> = async (c) => {
  c.header("Cache-Control", "no-store");
  return c.json(await service.listDeliveries(c.get("db"), c.req.valid("param").id, c.req.valid("query")), 200);
};

export const replayDelivery: RouteHandler<typeof routes.replayDelivery, AppBindings> = async (c) => {
  const { id } = c.req.valid("param");
  const delivery = await c.get("timings").time("queue", () => service.replayDelivery(c.env, c.get("db"), id));
  await recordAudit(c.get("db"), auditOrigin(c), {
    action: "webhooks.delivery_replayed",
    actorId: c.get("caller")?.userId,
    subject: id,
  });
  return c.json(delivery, 202);
};
