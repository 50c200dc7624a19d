import { inject } from "vitest";
import { contractViolations } from "./openapi-validator";

export const baseUrl = () => inject("baseUrl");

let document: Promise<unknown> | undefined;
/** The OpenAPI document the Worker under test serves, fetched once. */
const servedDocument = () => (document ??= fetch(`${baseUrl()}/openapi.json`).then((response) => response.json()));

/**
 * One request to the Worker under test. Every answer is checked against the served OpenAPI
 * document (status declared, body valid); a mismatch fails the test that made the request.
 * CORS preflights (OPTIONS) are answered by middleware for any path and are not in the document.
 */
export async function request(path: string, init: RequestInit & { json?: unknown; token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  const response = await fetch(baseUrl() + path, { ...init, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  const method = init.method ?? "GET";
  if (method !== "OPTIONS" && path !== "/openapi.json") {
    const violations = contractViolations(await servedDocument(), {
      method,
      path,
      status: response.status,
      contentType: response.headers.get("content-type"),
      body: parsed,
    });
    if (violations.length > 0)
      throw new Error(`the answer does not match the OpenAPI document:\n  ${violations.join("\n  ")}`);
  }
  return {
    status: response.status,
    headers: response.headers,
    body: parsed as Record<string, unknown> & { data?: unknown[] },
  };
}
