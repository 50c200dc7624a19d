/**
 * Password hashing: PBKDF2-HMAC-SHA256 through WebCrypto, 100,000 iterations (Cloudflare's
 * production cap: workerd locally accepts more, production refuses). The encoded format is
 * versioned by its algorithm and iteration fields — `pbkdf2-sha256$<iterations>$<salt>$<hash>`
 * (base64) — so the cost can be raised later and old hashes upgraded on the next good login.
 * scripts/seed.mjs writes the local admin's hash in this same format.
 */
import { timingSafeEqualStrings } from "../../platform/crypto";

export const CURRENT_ITERATIONS = 100_000;
const ALGORITHM = "pbkdf2-sha256";
const SALT_BYTES = 16;
const HASH_BITS = 256;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = CURRENT_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return [ALGORITHM, iterations, toBase64(salt), toBase64(hash)].join("$");
}

export interface VerifyResult {
  valid: boolean;
  /** True when the stored hash uses weaker parameters than today's: re-hash after a good login. */
  needsRehash: boolean;
}

export async function verifyPassword(password: string, encoded: string): Promise<VerifyResult> {
  const [algorithm, iterationsText, saltText, hashText] = encoded.split("$");
  const iterations = Number(iterationsText);
  if (algorithm !== ALGORITHM || !Number.isInteger(iterations) || iterations < 1 || !saltText || !hashText) {
    return { valid: false, needsRehash: false };
  }
  const candidate = await derive(password, fromBase64(saltText), iterations);
  const valid = timingSafeEqualStrings(toBase64(candidate), hashText);
  return { valid, needsRehash: valid && iterations < CURRENT_ITERATIONS };
}

/** The value, never a promise of it: a promise belongs to the request that started it. */
let dummy: string | undefined;
/** A hash of a random password, verified against when the email is unknown so both paths cost the same. */
export async function dummyHash(): Promise<string> {
  dummy ??= await hashPassword(crypto.randomUUID());
  return dummy;
}
