import { createRouter } from "../../platform/openapi";
import * as handlers from "./jobs.handlers";
import * as routes from "./jobs.routes";

export const jobsRouter = createRouter()
  .openapi(routes.listFailedJobs, handlers.listFailedJobs)
  .openapi(routes.replayFailedJob, handlers.replayFailedJob);
