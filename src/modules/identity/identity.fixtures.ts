/**
 * Helpers for identity tests: every test gets its own client IP and email, so per-IP and
 * per-account rate-limit buckets (shared within a test file) never couple tests together.
 */
import { callJson, type CallOptions } from "../../../test/helpers/http";
import type { Session } from "./identity.schemas";

export const freshIp = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
export const uniqueEmail = (tag = "user") => `${tag}-${crypto.randomUUID()}@example.test`;
export const PASSWORD = "a perfectly long passphrase";

/** POST (or another method) from a given client IP. */
export function send<T = Record<string, unknown>>(
  path: string,
  body: unknown,
  options: CallOptions & { ip?: string } = {},
) {
  const { ip = freshIp(), ...rest } = options;
  return callJson<T>(path, { method: "POST", body, ...rest, headers: { "CF-Connecting-IP": ip, ...rest.headers } });
}

export async function registerUser(overrides: { email?: string; password?: string; name?: string } = {}) {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? PASSWORD;
  const { status, body } = await send<Session>("/v1/auth/register", {
    email,
    password,
    name: overrides.name ?? "Test User",
  });
  if (status !== 201) throw new Error(`register answered ${status}: ${JSON.stringify(body)}`);
  return { email, password, session: body };
}
