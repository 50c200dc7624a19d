/**
 * Opaque prefixed identifiers (`prod_…`, `cart_…`, `ord_…`, `usr_…`). 128 bits of randomness in
 * base62 keeps them unguessable (a cart id is its only credential) and URL-safe.
 */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export type IdPrefix =
  | "usr"
  | "prod"
  | "var"
  | "cat"
  | "cart"
  | "ord"
  | "pay"
  | "evt"
  | "rt"
  | "fam"
  | "aud"
  | "res"
  | "chk"
  | "disc"
  | "whk"
  | "dlv"
  | "job"
  | "tax"
  | "shp"
  | (string & {});

export function newId(prefix: IdPrefix, bytes = 16): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  let value = 0n;
  for (const byte of random) value = (value << 8n) | BigInt(byte);
  let out = "";
  while (value > 0n) {
    out = ALPHABET[Number(value % 62n)] + out;
    value /= 62n;
  }
  return `${prefix}_${out.padStart(22, "0")}`;
}

/** A 256-bit random secret, base64url-encoded (refresh tokens, reset tokens, webhook secrets). */
export function newSecret(bytes = 32): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...random))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
