import { describe, expect, it } from "vitest";
import { CURRENT_ITERATIONS, hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const encoded = await hashPassword("correct horse battery");
    expect(encoded).toMatch(new RegExp(`^pbkdf2-sha256\\$${CURRENT_ITERATIONS}\\$`));
    expect(await verifyPassword("correct horse battery", encoded)).toEqual({ valid: true, needsRehash: false });
    expect((await verifyPassword("correct horse batterz", encoded)).valid).toBe(false);
  });

  it("salts: the same password hashes differently each time", async () => {
    expect(await hashPassword("same password!")).not.toBe(await hashPassword("same password!"));
  });

  it("stays within Cloudflare's production PBKDF2 cap", () => {
    expect(CURRENT_ITERATIONS).toBeLessThanOrEqual(100_000);
  });

  it("asks for a re-hash when a stored hash used fewer iterations", async () => {
    const weak = await hashPassword("an older password", 1_000);
    expect(await verifyPassword("an older password", weak)).toEqual({ valid: true, needsRehash: true });
  });

  it.each(["", "plain", "md5$1$a$b", "pbkdf2-sha256$x$a$b", "pbkdf2-sha256$1000$$"])(
    "rejects the malformed stored hash %j",
    async (encoded) => {
      expect(await verifyPassword("whatever", encoded)).toEqual({ valid: false, needsRehash: false });
    },
  );
});
