/** Thin handlers: parse → service → shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { actorOf } from "../../platform/origin";
import type * as routes from "./payments.admin.routes";
import { mismatchesPage, reconcileNow as runReconciliation, testLedgerPage } from "./payments.admin.service";
import { paymentProviderFor } from "./payments.service";

export const testLedger: RouteHandler<typeof routes.testLedger, AppBindings> = async (c) =>
  c.json(await testLedgerPage(c.get("db"), c.get("config").PAYMENT_PROVIDER, c.req.valid("query")), 200);

export const mismatches: RouteHandler<typeof routes.mismatches, AppBindings> = async (c) =>
  c.json(await mismatchesPage(c.get("db"), c.req.valid("query")), 200);

/** Reads the primary: reconciliation decides refunds, so it must not see a replica that lags behind an order. */
export const reconcileNow: RouteHandler<typeof routes.reconcileNow, AppBindings> = async (c) =>
  c.json(
    await runReconciliation(
      c.get("primaryDb"),
      paymentProviderFor(c.env, c.get("config"), c.get("timings")),
      actorOf(c),
    ),
    200,
  );
