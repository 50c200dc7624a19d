/**
 * Every place Motor compares a secret, listed in one table, and proof that each compares in
 * constant time; plus a scan of the source for a plain `===` / `!==` on anything named like a
 * secret, so a new comparison cannot slip in unlisted.
 * Not comparisons in JS, hence not listed: refresh and reset tokens are found by an indexed D1
 * lookup of their SHA-256 (an attacker cannot steer a hash's prefix, so lookup timing says
 * nothing), and JWT signatures are verified by WebCrypto inside jose.
 */
import { describe, expect, it } from "vitest";
import { timingSafeEqualStrings } from "./crypto";

export const SECRET_COMPARISONS: readonly { file: string; compares: string }[] = [
  {
    file: "modules/payments/webhook-signature.ts",
    compares: "the HMAC signature of an inbound payment-provider webhook (test provider and Stripe)",
  },
  { file: "modules/identity/password.ts", compares: "a PBKDF2 password hash with the stored one" },
  {
    file: "modules/identity/auth.service.ts",
    compares: "the hash of a derived refresh successor within the grace window",
  },
];

/** `===` / `!==` on secret-looking names that compare no secret, each with the reason. */
const NOT_SECRETS: readonly { file: string; line: RegExp; why: string }[] = [
  {
    file: "modules/idempotency/idempotency.service.ts",
    line: /requestHash !== requestHash/,
    why: "a fingerprint of the caller's own request",
  },
  {
    file: "modules/payments/test-provider.ts",
    line: /requestHash !== requestHash/,
    why: "a fingerprint of a charge's parameters",
  },
  {
    file: "modules/identity/derived-secrets.ts",
    line: /typeof secret !== "string"/,
    why: "a type and length check of configuration",
  },
];

const sources = Object.fromEntries(
  Object.entries(
    import.meta.glob("../**/*.ts", { query: "?raw", import: "default", eager: true }) as Record<string, string>,
  )
    .filter(([path]) => !path.endsWith(".test.ts"))
    .map(([path, text]) => [path.replace(/^\.\.\//, ""), text]),
);

const SECRET_NAME = "\\w*(?:secret|signature|mac|digest|hash|password)\\w*";
const PLAIN_COMPARISON = new RegExp(`(?:\\b${SECRET_NAME}\\s*[!=]==|[!=]==\\s*[\\w.]*?${SECRET_NAME})`, "i");

describe("constant-time comparisons", () => {
  it("reads the source it checks", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
  });

  it.each(SECRET_COMPARISONS)("$file compares $compares in constant time", ({ file }) => {
    const source = sources[file];
    expect(source, file).toBeDefined();
    expect(source).toMatch(/timingSafeEqualStrings\(/);
  });

  it("finds no plain === / !== on a secret anywhere else in src", () => {
    const offenders = Object.entries(sources).flatMap(([file, text]) =>
      text.split("\n").flatMap((line, index) => {
        if (!PLAIN_COMPARISON.test(line)) return [];
        if (NOT_SECRETS.some((allowed) => allowed.file === file && allowed.line.test(line))) return [];
        return [`${file}:${index + 1}: ${line.trim()}`];
      }),
    );
    expect(offenders).toEqual([]);
  });

  it("timingSafeEqualStrings answers like === does", () => {
    expect(timingSafeEqualStrings("whsec_abc", "whsec_abc")).toBe(true);
    expect(timingSafeEqualStrings("whsec_abc", "whsec_abd")).toBe(false);
    expect(timingSafeEqualStrings("short", "longer one")).toBe(false);
    expect(timingSafeEqualStrings("é", "e\u0301")).toBe(false);
  });
});
