/**
 * One-time secrets derived with HMAC-SHA256 under `TOKEN_SECRET` from a reference, so the secret itself
 * is stored nowhere (only its SHA-256, to look it up): a password-reset token from its row id (the plain
 * token exists only in the email), and a refresh token's successor from the presented token (a second
 * presentation within the grace window derives the very same successor). Rotating `TOKEN_SECRET`
 * invalidates outstanding reset links (RESET_TOKEN_TTL_MS at most) and nothing else.
 */
import type { Env } from "../../env";
import { hmacSha256Base64url } from "../../platform/crypto";

const MIN_SECRET_LENGTH = 32;

function tokenSecretOf(env: Pick<Env, "TOKEN_SECRET">): string {
  const secret = env.TOKEN_SECRET;
  if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`TOKEN_SECRET must be a secret of at least ${MIN_SECRET_LENGTH} characters`);
  }
  return secret;
}

export function resetTokenFor(env: Pick<Env, "TOKEN_SECRET">, resetTokenId: string): Promise<string> {
  return hmacSha256Base64url(tokenSecretOf(env), `password-reset\n${resetTokenId}`);
}

export function refreshSuccessorOf(env: Pick<Env, "TOKEN_SECRET">, presented: string): Promise<string> {
  return hmacSha256Base64url(tokenSecretOf(env), `refresh-successor\n${presented}`);
}
