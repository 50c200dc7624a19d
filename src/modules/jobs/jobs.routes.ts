import { adminRoute } from "../identity/admin-route";
import { jsonContent, problems } from "../../platform/openapi";
import { failedJobListQuerySchema, failedJobPageSchema, failedJobParamsSchema, failedJobSchema } from "./jobs.schemas";

export const listFailedJobs = adminRoute("jobs:manage", {
  method: "get",
  path: "/v1/admin/jobs/failed",
  tags: ["admin", "jobs"],
  summary: "Dead letters: messages that exhausted their retries, newest first",
  request: { query: failedJobListQuerySchema },
  responses: { 200: jsonContent(failedJobPageSchema, "A page of dead letters"), ...problems(400, 401, 403) },
});

export const replayFailedJob = adminRoute("jobs:manage", {
  method: "post",
  path: "/v1/admin/jobs/failed/{id}/replay",
  tags: ["admin", "jobs"],
  summary: "Send a dead letter back to the jobs queue (consumers that already handled it skip it)",
  request: { params: failedJobParamsSchema },
  responses: { 202: jsonContent(failedJobSchema, "Re-enqueued"), ...problems(400, 401, 403, 404, 409) },
});
