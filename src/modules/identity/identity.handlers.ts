import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppBindings } from "../../platform/context";
import { answerCarriesSecret } from "../../middleware/idempotency";
import { auditOrigin } from "../../platform/origin";
import { publishEvents } from "../jobs/relay";
import * as auth from "./auth.service";
import type * as routes from "./identity.routes";
import { loginGuard, resetEmailBudget } from "./login-guard";
import { requestPasswordReset, resetPassword as resetWithToken } from "./password-reset.service";
import type { IdentityContext } from "./sessions";
import { keyRing } from "./tokens";

export function identityContext(c: Context<AppBindings>): IdentityContext {
  return { db: c.get("db"), env: c.env, config: c.get("config"), origin: auditOrigin(c) };
}

/** A session answer holds live tokens: no HTTP cache and no idempotency record may keep it. */
const noStore = (c: Context<AppBindings>) => {
  c.header("Cache-Control", "no-store");
  answerCarriesSecret(c);
};

export const register: RouteHandler<typeof routes.register, AppBindings> = async (c) => {
  const session = await auth.register(identityContext(c), c.req.valid("json"));
  noStore(c);
  return c.json(session, 201);
};

export const login: RouteHandler<typeof routes.login, AppBindings> = async (c) => {
  const session = await auth.login(identityContext(c), loginGuard(c.env, c.get("timings")), c.req.valid("json"));
  noStore(c);
  return c.json(session, 200);
};

export const refresh: RouteHandler<typeof routes.refresh, AppBindings> = async (c) => {
  const session = await auth.refresh(identityContext(c), c.req.valid("json").refreshToken);
  noStore(c);
  return c.json(session, 200);
};

export const logout: RouteHandler<typeof routes.logout, AppBindings> = async (c) => {
  await auth.logout(identityContext(c), c.req.valid("json").refreshToken);
  return c.body(null, 204);
};

export const forgotPassword: RouteHandler<typeof routes.forgotPassword, AppBindings> = async (c) => {
  const events = await requestPasswordReset(
    identityContext(c),
    c.req.valid("json").email,
    resetEmailBudget(c.env, c.get("timings")),
  );
  // publish now for a prompt email; correctness rests on the outbox row (the relay cron retries)
  c.executionCtx.waitUntil(publishEvents(c.env, events));
  return c.json({ status: "accepted" as const }, 202);
};

export const resetPassword: RouteHandler<typeof routes.resetPassword, AppBindings> = async (c) => {
  const { token, password } = c.req.valid("json");
  await resetWithToken(identityContext(c), token, password);
  return c.body(null, 204);
};

export const me: RouteHandler<typeof routes.me, AppBindings> = async (c) => {
  const user = await auth.currentUser(identityContext(c), c.get("caller")!.userId);
  noStore(c);
  return c.json(user, 200);
};

export const jwks: RouteHandler<typeof routes.jwks, AppBindings> = async (c) => {
  const { publicJwks } = await keyRing(c.env);
  // short enough that a key added for rotation is seen by verifiers before it starts signing
  c.header("Cache-Control", "public, max-age=300");
  return c.json({ keys: publicJwks as Record<string, unknown>[] }, 200);
};
