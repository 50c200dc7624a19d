/** Thin handlers: parse → service → shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import type * as routes from "./payments.admin.routes";
import { mismatchesPage, testLedgerPage } from "./payments.admin.service";

export const testLedger: RouteHandler<typeof routes.testLedger, AppBindings> = async (c) =>
  c.json(await testLedgerPage(c.get("db"), c.get("config").PAYMENT_PROVIDER, c.req.valid("query")), 200);

export const mismatches: RouteHandler<typeof routes.mismatches, AppBindings> = async (c) => c.json(await mismatchesPage(c.get("db"), c.req.valid("query")), 200);
