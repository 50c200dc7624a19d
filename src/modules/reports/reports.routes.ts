import { adminRoute } from "../identity/admin-route";
import { jsonContent, problems } from "../../platform/openapi";
import { dailyReportQuerySchema, dailyReportSchema } from "./reports.schemas";

export const dailyReport = adminRoute("reports:read", {
  method: "get",
  path: "/v1/admin/reports/daily",
  tags: ["admin", "reports"],
  summary: "The daily sales report of a UTC date (computed at 03:00 UTC for the day before)",
  request: { query: dailyReportQuerySchema },
  responses: { 200: jsonContent(dailyReportSchema, "The report"), ...problems(400, 401, 403, 404) },
});
