/**
 * The Worker's last resort: whatever throws outside Hono's error handler — in the entry itself, in
 * `waitUntil` work, in a queue batch or a cron run — is caught here, never left to the runtime,
 * which answers a request with raw text (a stack with file paths, no request id, no security
 * headers) and writes no JSON log line. A request gets the same generic problem+json 500 that
 * problem.ts gives an unknown error; every escape writes one `error` line with the trace id, so an
 * alert on "unhandled error" means a bug, and only a bug.
 */
import { applySecurityHeaders } from "../middleware/security-headers";
import { log } from "./observability/log";
import { continueTrace, formatTraceparent, runInTrace } from "./observability/trace";
import { problemResponse, toProblem } from "./problem";
import { REQUEST_ID_HEADER, requestIdOf } from "./request-id";

/** The answer to a request whose handling threw past Hono: problem+json 500, its request id, the security headers. */
export function escapedErrorResponse(request: Request, error: unknown, production: boolean): Response {
  const requestId = requestIdOf(request.headers.get(REQUEST_ID_HEADER));
  const trace = continueTrace(request.headers.get("traceparent"), request.headers.get("tracestate"));
  runInTrace(trace, () =>
    log.error("unhandled error", { requestId, escaped: "fetch", method: request.method, error, stack: stackOf(error) }),
  );
  const response = problemResponse(toProblem(error, requestId));
  response.headers.set(REQUEST_ID_HEADER, requestId);
  response.headers.set("traceparent", formatTraceparent(trace));
  applySecurityHeaders(response.headers, production);
  return response;
}

/**
 * The execution context handed to the app: the same, except that `waitUntil` work which rejects is
 * logged (it runs after the answer, so nothing else would see it). The catch is attached where the
 * work is registered, inside the request's trace, so the line carries its trace id.
 */
export function guardedContext(ctx: ExecutionContext): ExecutionContext {
  return new Proxy(ctx, {
    get(target, property) {
      if (property === "waitUntil") {
        return (work: Promise<unknown>) =>
          target.waitUntil(
            Promise.resolve(work).catch((error: unknown) =>
              log.error("unhandled error", { escaped: "waitUntil", error, stack: stackOf(error) }),
            ),
          );
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Runs a queue batch or a cron run; what escapes is logged once, then rethrown so the platform retries. */
export async function loggedEscapes<T>(
  entry: "queue" | "scheduled",
  fields: Record<string, unknown>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    log.error("unhandled error", { escaped: entry, ...fields, error, stack: stackOf(error) });
    throw error;
  }
}

const stackOf = (error: unknown) => (error instanceof Error ? error.stack : undefined);
