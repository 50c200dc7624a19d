/** Contracts of the account endpoints (v1): every status each one can answer. */
import { createRoute } from "@hono/zod-openapi";
import * as z from "zod";
import { bearerAuth, jsonBody, jsonContent, problems } from "../../platform/openapi";
import { requireUser } from "../../middleware/auth";
import {
  forgotBodySchema,
  jwksSchema,
  loginBodySchema,
  refreshBodySchema,
  registerBodySchema,
  resetBodySchema,
  sessionSchema,
  userSchema,
} from "./identity.schemas";

const tags = ["auth"];
// every auth route is rate-limited per IP and fails closed when the limiter is down
const limited = [429, 503] as const;

export const register = createRoute({
  method: "post",
  path: "/v1/auth/register",
  tags,
  summary: "Create a customer account and sign in",
  request: { body: jsonBody(registerBodySchema) },
  responses: {
    201: jsonContent(sessionSchema, "Signed in as the new user"),
    ...problems(400, 409, 413, 415, ...limited),
  },
});

export const login = createRoute({
  method: "post",
  path: "/v1/auth/login",
  tags,
  summary: "Sign in with email and password",
  description:
    "One answer (401) whether the email is unknown or the password wrong. After 5 failures in 15 " +
    "minutes the account answers 429 whatever the IP.",
  request: { body: jsonBody(loginBodySchema) },
  responses: { 200: jsonContent(sessionSchema, "Signed in"), ...problems(400, 401, 415, ...limited) },
});

export const refresh = createRoute({
  method: "post",
  path: "/v1/auth/refresh",
  tags,
  summary: "Rotate a refresh token into a new token pair",
  description:
    "Every use rotates; a sign-in lasts at most 90 days. The same token presented again within 10 s " +
    "of its rotation answers the same successor (two tabs); later, or once that successor rotated, " +
    "it answers 401 and revokes the whole family.",
  request: { body: jsonBody(refreshBodySchema) },
  responses: { 200: jsonContent(sessionSchema, "A new token pair"), ...problems(400, 401, 415, ...limited) },
});

export const logout = createRoute({
  method: "post",
  path: "/v1/auth/logout",
  tags,
  summary: "Revoke a refresh token's family",
  request: { body: jsonBody(refreshBodySchema) },
  responses: {
    204: { description: "Signed out (also when the token was unknown)" },
    ...problems(400, 415, ...limited),
  },
});

export const forgotPassword = createRoute({
  method: "post",
  path: "/v1/auth/password/forgot",
  tags,
  summary: "Email a one-time reset link (if the account exists; at most 3 per address per hour)",
  request: { body: jsonBody(forgotBodySchema) },
  responses: {
    202: jsonContent(z.object({ status: z.literal("accepted") }), "Accepted, whether or not the email is registered"),
    ...problems(400, 415, ...limited),
  },
});

export const resetPassword = createRoute({
  method: "post",
  path: "/v1/auth/password/reset",
  tags,
  summary: "Set a new password with a reset token",
  description:
    "Single use, 30 minutes. Signs the user out everywhere (all refresh families revoked) and makes " +
    "staff/admin access tokens already issued invalid at once.",
  request: { body: jsonBody(resetBodySchema) },
  responses: { 204: { description: "Password changed" }, ...problems(400, 415, ...limited) },
});

export const me = createRoute({
  method: "get",
  path: "/v1/me",
  tags: ["users"],
  summary: "The signed-in user",
  security: bearerAuth,
  middleware: [requireUser()] as const,
  responses: { 200: jsonContent(userSchema, "The current user"), ...problems(401, 404) },
});

export const jwks = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  tags: ["auth"],
  summary: "Public keys that verify access tokens",
  responses: { 200: jsonContent(jwksSchema, "JSON Web Key Set (public keys only)") },
});
