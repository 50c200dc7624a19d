/**
 * Admin payment contracts: the test ledger and reconciliation's mismatches (payments:read), and
 * running reconciliation now (payments:reconcile: it refunds orphan charges).
 */
import { adminRoute } from "../identity/admin-route";
import { jsonContent, problems } from "../../platform/openapi";
import { paginationQuerySchema } from "../../platform/pagination";
import {
  ledgerPageSchema,
  mismatchPageSchema,
  mismatchQuerySchema,
  reconcileRunSchema,
} from "./payments.admin.schemas";

export const testLedger = adminRoute("payments:read", {
  method: "get",
  path: "/v1/admin/payments/test-ledger",
  tags: ["admin", "payments"],
  summary:
    "The test payment provider's ledger: every charge and refund, oldest first (payments:read; 404 unless PAYMENT_PROVIDER=test)",
  request: { query: paginationQuerySchema },
  responses: { 200: jsonContent(ledgerPageSchema, "A page of ledger entries"), ...problems(400, 401, 403, 404) },
});

export const mismatches = adminRoute("payments:read", {
  method: "get",
  path: "/v1/admin/payments/mismatches",
  tags: ["admin", "payments"],
  summary:
    "Reconciliation's findings between the provider's charges and Motor's orders; open ones by default (payments:read)",
  request: { query: mismatchQuerySchema },
  responses: { 200: jsonContent(mismatchPageSchema, "A page of mismatches"), ...problems(400, 401, 403) },
});

export const reconcileNow = adminRoute("payments:reconcile", {
  method: "post",
  path: "/v1/admin/payments/reconcile",
  tags: ["admin", "payments"],
  summary:
    "Runs payment reconciliation now, as the */15 cron does: refunds orphan charges, records " +
    "mismatches, answers the counts; audited (payments:reconcile)",
  responses: { 200: jsonContent(reconcileRunSchema, "What this run did"), ...problems(401, 403, 503) },
});
