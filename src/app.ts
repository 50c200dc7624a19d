/**
 * createApp(): the middleware order, error mapping, module routers, /openapi.json, and the pages
 * (storefront, console, /docs) of the web module.
 * Order matters: the request id comes first so every later answer (errors included) carries it;
 * timing and logging wrap everything else; limits and media-type checks run before any handler.
 */
import { requestId } from "hono/request-id";
import { authenticate } from "./middleware/auth";
import { bodyLimit } from "./middleware/body-limit";
import { idempotency } from "./middleware/idempotency";
import { cors } from "./middleware/cors";
import { jsonOnly } from "./middleware/json-only";
import { requestContext } from "./middleware/request-context";
import { requestLog, type RequestLogLine } from "./middleware/request-log";
import { securityHeaders } from "./middleware/security-headers";
import { serverTiming } from "./middleware/server-timing";
import { versionHeader } from "./middleware/version-header";
import { traceContext } from "./middleware/trace-context";
import { log } from "./platform/observability/log";
import { catalogRouter } from "./modules/catalog";
import { systemRouter } from "./modules/system";
import { identityRouter } from "./modules/identity";
import { auditRouter } from "./modules/audit";
import { emailRouter } from "./modules/email";
import { jobsRouter } from "./modules/jobs";
import { reportsRouter } from "./modules/reports";
import { webhooksRouter } from "./modules/webhooks";
import { ordersRouter } from "./modules/orders";
import { CHECKOUT_PATH, checkoutRouter } from "./modules/checkout";
import { cartRouter } from "./modules/cart";
import { inventoryRouter } from "./modules/inventory";
import { paymentsRouter } from "./modules/payments";
import { discountsRouter } from "./modules/discounts";
import { taxRouter } from "./modules/tax";
import { shippingRouter } from "./modules/shipping";
import { customersRouter } from "./modules/customers";
import { webRouter } from "./modules/web";
import { rateLimit } from "./modules/rate-limits/rate-limits.middleware";
import { AppError, NotFoundError } from "./platform/errors";
import { createRouter } from "./platform/openapi";
import { serveOpenApiDocument } from "./platform/openapi-document";
import { problemResponse, toProblem } from "./platform/problem";
import { REQUEST_ID_HEADER, REQUEST_ID_MAX_LENGTH } from "./platform/request-id";

export interface AppOptions {
  log?: (line: RequestLogLine) => void;
}

export function createApp(options: AppOptions = {}) {
  const app = createRouter();

  app.use(traceContext());
  app.use(requestId({ limitLength: REQUEST_ID_MAX_LENGTH, headerName: REQUEST_ID_HEADER }));
  app.use(versionHeader());
  app.use(serverTiming());
  app.use(requestLog({ write: options.log }));
  app.use(requestContext());
  // inside requestContext so it knows APP_ENV (HSTS); every answer, errors included, gets them
  app.use(securityHeaders());
  app.use(cors());
  app.use(rateLimit());
  app.use(bodyLimit());
  app.use(jsonOnly());
  app.use(authenticate());
  app.use(idempotency({ claimedByRoute: [CHECKOUT_PATH] }));

  app.route("/", systemRouter);
  app.route("/", identityRouter);
  app.route("/", auditRouter);
  app.route("/", catalogRouter);
  app.route("/", emailRouter);
  app.route("/", jobsRouter);
  app.route("/", reportsRouter);
  app.route("/", webhooksRouter);
  app.route("/", ordersRouter);
  app.route("/", checkoutRouter);
  app.route("/", cartRouter);
  app.route("/", inventoryRouter);
  app.route("/", paymentsRouter);
  app.route("/", discountsRouter);
  app.route("/", taxRouter);
  app.route("/", shippingRouter);
  app.route("/", customersRouter);
  app.route("/", webRouter);

  // the document itself is rendered from this registry at build time (src/platform/openapi-document.ts)
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.get("/openapi.json", serveOpenApiDocument);

  app.notFound(() => {
    throw new NotFoundError({ detail: "No route matches this method and path" });
  });
  app.onError((error, c) => {
    const requestId = c.get("requestId") ?? "unknown";
    const answer = toProblem(error, requestId);
    // an AppError is an outcome the code chose (an unknown payment outcome, a dependency down): a
    // warning naming it; "unhandled error" (with a stack) is kept for bugs, so an alert can trust it
    if (error instanceof AppError && answer.problem.status >= 500) {
      log.warn("request failed", {
        requestId,
        outcome: error.slug,
        status: answer.problem.status,
        detail: error.detail,
        cause: error.cause,
      });
    } else if (answer.problem.status >= 500) {
      log.error("unhandled error", { requestId, error, stack: error instanceof Error ? error.stack : undefined });
    }
    return problemResponse(answer, c.res.headers);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
