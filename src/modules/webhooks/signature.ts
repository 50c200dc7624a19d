/**
 * Merchant webhook signatures, Stripe-style:
 *   Motor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 * The timestamp is signed with the body so a captured delivery cannot be replayed later: the
 * receiver refuses a `t` too far from its clock. The verification recipe is in docs/async.md, and
 * webhooks.delivery.test.ts checks real deliveries with exactly that recipe.
 */
import { hmacSha256Hex } from "../../platform/crypto";

export const SIGNATURE_HEADER = "Motor-Signature";

export async function signatureHeader(secret: string, body: string, unixSeconds: number): Promise<string> {
  return `t=${unixSeconds},v1=${await hmacSha256Hex(secret, `${unixSeconds}.${body}`)}`;
}
