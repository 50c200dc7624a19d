import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../middleware/auth";
import { bearerAuth, jsonContent, problems } from "../../platform/openapi";
import { dailyReportQuerySchema, dailyReportSchema } from "./reports.schemas";

export const dailyReport = createRoute({
  method: "get",
  path: "/v1/admin/reports/daily",
  tags: ["admin", "reports"],
  summary: "The daily sales report of a UTC date (computed at 03:00 UTC for the day before)",
  security: bearerAuth,
  middleware: [requirePermission("reports:read")] as const,
  request: { query: dailyReportQuerySchema },
  responses: { 200: jsonContent(dailyReportSchema, "The report"), ...problems(400, 401, 403, 404) },
});
