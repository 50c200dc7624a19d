/**
 * Stripe's webhook signature scheme, used by both providers: the header is
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (several v1 entries allowed,
 * during a secret rotation). The timestamp bounds replays to a tolerance window.
 */
import { hmacSha256Hex, timingSafeEqualStrings } from "../../platform/crypto";
import { ValidationError } from "../../platform/errors";

export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** A missing, malformed, forged or stale signature: 400, like Stripe's own endpoints answer. */
export class WebhookSignatureError extends ValidationError {
  constructor(detail: string) {
    super({ detail });
  }
}

export async function signWebhookPayload(
  secret: string,
  rawBody: string,
  timestamp = Math.floor(Date.now() / 1000),
): Promise<string> {
  return `t=${timestamp},v1=${await hmacSha256Hex(secret, `${timestamp}.${rawBody}`)}`;
}

export async function verifyWebhookSignature(
  secret: string,
  header: string | null,
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<void> {
  if (!header) throw new WebhookSignatureError("The signature header is missing");
  const parts = header.split(",").map((part) => part.trim().split("="));
  const timestamp = Number(parts.find(([key]) => key === "t")?.[1]);
  const signatures = parts.filter(([key, value]) => key === "v1" && value).map(([, value]) => value as string);
  if (!Number.isSafeInteger(timestamp) || signatures.length === 0)
    throw new WebhookSignatureError("The signature header is malformed");
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS)
    throw new WebhookSignatureError("The signature timestamp is outside the tolerance");
  const expected = await hmacSha256Hex(secret, `${timestamp}.${rawBody}`);
  // compare against every candidate (no early exit) so timing does not tell which one matched
  const matches = signatures.map((candidate) => timingSafeEqualStrings(candidate, expected));
  if (!matches.includes(true)) throw new WebhookSignatureError("The signature does not match");
}
