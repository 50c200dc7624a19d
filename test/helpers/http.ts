/** Calls the real Worker entry (`exports.default.fetch`) with JSON conveniences. */
import { exports } from "cloudflare:workers";

export const BASE_URL = "http://motor.test";

export interface CallOptions {
  method?: string;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("Authorization", `Bearer ${options.token}`);
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  return exports.default.fetch(
    new Request(BASE_URL + path, { method: options.method ?? (body ? "POST" : "GET"), headers, body }),
  );
}

export async function callJson<T = Record<string, unknown>>(path: string, options: CallOptions = {}) {
  const response = await call(path, options);
  const text = await response.text();
  return { response, status: response.status, body: (text ? JSON.parse(text) : null) as T };
}
