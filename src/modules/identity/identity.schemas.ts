/**
 * Request and response shapes of the auth endpoints. Emails are trimmed and lower-cased before
 * they are validated (one account per mailbox, whatever the capitalisation); every string is
 * length-capped so a hostile client cannot make us hash or store megabytes.
 */
import * as z from "zod";
import { humanText } from "../../platform/text";
import { ROLES } from "./permissions";

export const PASSWORD_MIN = 10;
/** PBKDF2 cost grows with the input: a cap keeps one request from burning seconds of CPU. */
export const PASSWORD_MAX = 128;
export const EMAIL_MAX = 254;
export const NAME_MAX = 100;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX)
  .pipe(z.email({ message: "must be a valid email address" }))
  .openapi({ example: "ada@example.com" });

/** The password must not be (or contain) the email, nor its local part when that is guessable. */
export function passwordContainsEmail(password: string, email: string): boolean {
  const lowered = password.toLowerCase();
  const localPart = email.split("@")[0] ?? "";
  return lowered.includes(email) || (localPart.length >= 4 && lowered.includes(localPart));
}

const passwordField = z.string().max(PASSWORD_MAX, { message: `must be at most ${PASSWORD_MAX} characters` });
const newPasswordField = passwordField.min(PASSWORD_MIN, { message: `must be at least ${PASSWORD_MIN} characters` });

export const registerBodySchema = z
  .object({
    email: emailSchema,
    password: newPasswordField.openapi({ example: "correct horse battery" }),
    name: humanText(1, NAME_MAX).openapi({ example: "Ada Lovelace" }),
  })
  .strict()
  .superRefine((body, context) => {
    if (passwordContainsEmail(body.password, body.email)) {
      context.addIssue({ code: "custom", path: ["password"], message: "must not contain your email address" });
    }
  })
  .openapi("RegisterRequest");
export type RegisterBody = z.infer<typeof registerBodySchema>;

export const loginBodySchema = z
  .object({ email: emailSchema, password: passwordField.min(1) })
  .strict()
  .openapi("LoginRequest");
export type LoginBody = z.infer<typeof loginBodySchema>;

const opaqueToken = z.string().min(1).max(256);
export const refreshBodySchema = z.object({ refreshToken: opaqueToken }).strict().openapi("RefreshRequest");
export const forgotBodySchema = z.object({ email: emailSchema }).strict().openapi("ForgotPasswordRequest");
export const resetBodySchema = z
  .object({ token: opaqueToken, password: newPasswordField })
  .strict()
  .openapi("ResetPasswordRequest");

export const userSchema = z
  .object({
    id: z.string().openapi({ example: "usr_0Fz3…" }),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    createdAt: z.string().openapi({ description: "ISO 8601" }),
  })
  .openapi("User");
export type UserView = z.infer<typeof userSchema>;

export const sessionSchema = z
  .object({
    user: userSchema,
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().openapi({ description: "Access token lifetime in seconds" }),
    tokenType: z.literal("Bearer"),
  })
  .openapi("Session");
export type Session = z.infer<typeof sessionSchema>;

export const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).openapi("JWKS");
