/**
 * Log redaction, applied to every field of every log line: secrets never reach the logs, whatever
 * a caller (or an error message) puts in them. Two nets: by field name (a `password` is dropped
 * whatever it holds) and by shape inside any string (a JWT, a bearer header, a URL's `token=`, a
 * 256-bit base64url secret, a card number passing Luhn, an email address).
 * Emails are masked, not dropped: `j***@shop.example` still tells support which domain failed.
 */
const SECRET_KEY =
  /pass(word|wd)?|secret|token|authorization|cookie|api_?key|card|cvc|cvv|^pan$|reset_?(url|link)|signature/i;
const EMAIL_KEY = /^(e?mail|to|from|recipient)$/i;
/** Fields Motor itself fills with ids and numbers: skipping them keeps the request line cheap. */
const SAFE_KEYS = new Set([
  "level",
  "msg",
  "traceId",
  "spanId",
  "parentSpanId",
  "requestId",
  "method",
  "route",
  "status",
  "durationMs",
  "userId",
  "group",
]);

const JWT = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi;
const TOKEN_PARAM = /([?&#](?:token|access_token|refresh_token|reset_token|code|key)=)[^&#\s"']+/gi;
const LONG_SECRET = /\b[A-Za-z0-9_-]{40,}\b/g;
// Reviewed: each repeated group starts with a "." the previous one cannot match, so matching is linear.
// eslint-disable-next-line security/detect-unsafe-regex -- reviewed (above)
const EMAIL = /\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\b/g;
// eslint-disable-next-line security/detect-unsafe-regex -- reviewed: a bounded repeat ({13,18}) of one optional separator and one digit
const DIGIT_RUN = /\b\d(?:[ -]?\d){13,18}\b/g;

export const REDACTED = "[redacted]";

/** `jane.doe@shop.example` → `j***@shop.example`. */
export function maskEmail(value: string): string {
  return value.replace(EMAIL, "$1***@$2");
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

export function redactString(value: string): string {
  return maskEmail(
    value
      .replace(JWT, REDACTED)
      .replace(BEARER, `$1 ${REDACTED}`)
      .replace(TOKEN_PARAM, `$1${REDACTED}`)
      .replace(LONG_SECRET, REDACTED)
      .replace(DIGIT_RUN, (run) => (luhnValid(run.replace(/\D/g, "")) ? REDACTED : run)),
  );
}

const MAX_DEPTH = 6;

/** A redacted copy of a log field value (errors become their message; cycles and depth are cut). */
export function redactValue(value: unknown, key = "", depth = 0): unknown {
  if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean") return value;
  if (SECRET_KEY.test(key)) return REDACTED;
  if (typeof value === "string") return EMAIL_KEY.test(key) ? maskEmail(redactString(value)) : redactString(value);
  if (value instanceof Error) return redactString(String(value));
  if (depth >= MAX_DEPTH) return "[truncated]";
  if (Array.isArray(value)) return value.map((item) => redactValue(item, key, depth + 1));
  if (typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [field, inner] of Object.entries(value)) copy[field] = redactValue(inner, field, depth + 1);
    return copy;
  }
  return redactString(String(value));
}

/** Redacts one log line's fields; Motor's own id and number fields pass untouched. */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields))
    copy[key] = SAFE_KEYS.has(key) && typeof value !== "object" ? value : redactValue(value, key);
  return copy;
}
