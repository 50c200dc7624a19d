import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { auditOrigin } from "../../platform/origin";
import type * as routes from "./inventory.routes";
import { setOnHand, stockLevel } from "./inventory.admin";
import { setShardPlan } from "./inventory.plan";

export const getStock: RouteHandler<typeof routes.getStock, AppBindings> = async (c) => {
  const { sku } = c.req.valid("param");
  c.header("Cache-Control", "no-store");
  return c.json(await stockLevel(c.get("db"), c.env, sku, c.get("timings")), 200);
};

export const setStock: RouteHandler<typeof routes.setStock, AppBindings> = async (c) => {
  const { sku } = c.req.valid("param");
  const { onHand } = c.req.valid("json");
  const level = await setOnHand(
    c.get("db"),
    c.env,
    { sku, onHand, actorId: c.get("caller")?.userId ?? null, origin: auditOrigin(c) },
    c.get("timings"),
  );
  return c.json(level, 200);
};

export const setShards: RouteHandler<typeof routes.setShards, AppBindings> = async (c) => {
  const { sku } = c.req.valid("param");
  const { shards } = c.req.valid("json");
  const plan = await setShardPlan(
    c.get("db"),
    c.env,
    { sku, shards, actorId: c.get("caller")?.userId ?? null, origin: auditOrigin(c) },
    c.get("timings"),
  );
  return c.json(plan, 200);
};
