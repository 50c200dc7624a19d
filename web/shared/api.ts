/**
 * The one way the pages talk to Motor: same-origin fetch, JSON in and out, the access token
 * attached, one silent refresh on a 401, and every failure turned into an ApiError that carries
 * the server's problem+json (RFC 9457) so pages can show its words.
 */
import { authHeader, refreshSession } from "./session";

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly headers: Headers = new Headers(),
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface RequestOptions {
  method?: string;
  json?: unknown;
  headers?: Record<string, string>;
  /** "no-cache" revalidates with the server (ETag → 304) instead of trusting the HTTP cache. */
  cache?: RequestCache;
}

/** The app's notFound answer: this server does not have the endpoint (an older or partial deploy). */
export function isMissingEndpoint(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.status === 404 || error.status === 405) &&
    /no route matches/i.test(error.problem.detail ?? "")
  );
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", ...authHeader(), ...options.headers };
  if (options.json !== undefined) headers["Content-Type"] = "application/json";
  try {
    return await fetch(path, {
      method: options.method ?? "GET",
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      cache: options.cache,
      credentials: "omit",
    });
  } catch {
    throw new ApiError(0, {
      status: 0,
      title: "Network error",
      detail: "The server could not be reached. Check your connection and try again.",
    });
  }
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(path, options);
  // an access token can expire between the silent refresh and this call: refresh once, then retry
  if (response.status === 401 && authHeader().Authorization && (await refreshSession()))
    response = await send(path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null; // not JSON (a proxy's error page): the status alone describes it
  }
  if (!response.ok) {
    const problem = (
      body && typeof body === "object" ? body : { status: response.status, title: response.statusText }
    ) as Problem;
    throw new ApiError(response.status, { ...problem, status: response.status }, response.headers);
  }
  return body as T;
}

export const query = (params: Record<string, string | number | undefined | null>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
};
