import { describe, expect, it } from "vitest";
import { newSecret } from "../ids";
import { maskEmail, REDACTED, redactFields, redactString } from "./redact";

describe("log redaction", () => {
  it("drops secret fields whatever they hold", () => {
    const fields = redactFields({
      password: "hunter2hunter2",
      accessToken: "abc",
      refreshToken: "def",
      resetUrl: "https://x/reset?token=t",
      authorization: "Bearer x",
      cardNumber: "4242424242424242",
      apiKey: "re_123",
    });
    for (const value of Object.values(fields)) expect(value).toBe(REDACTED);
  });

  it("masks emails in email fields and inside any text", () => {
    expect(redactFields({ email: "jane.doe@shop.example" })).toEqual({ email: "j***@shop.example" });
    expect(redactFields({ to: "bob@shop.example" })).toEqual({ to: "b***@shop.example" });
    expect(maskEmail("sent to jane.doe@shop.example twice")).toBe("sent to j***@shop.example twice");
  });

  it("removes tokens from free text: JWTs, bearer headers, token= parameters, 256-bit secrets", () => {
    const jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJlX2hlcmU";
    const secret = newSecret();
    const text = redactString(
      `failed with ${jwt}; header Bearer abc.def; link https://shop.example/reset-password?token=${secret}&x=1; refresh ${secret}`,
    );
    expect(text).not.toContain(jwt);
    expect(text).not.toContain("abc.def");
    expect(text).not.toContain(secret);
    expect(text).toContain("https://shop.example/reset-password?token=[redacted]&x=1");
  });

  it("removes card numbers that pass Luhn but keeps timestamps and ids", () => {
    expect(redactString("card 4242 4242 4242 4242 declined")).toBe(`card ${REDACTED} declined`);
    expect(redactString("card 4000-0000-0000-0002")).toBe(`card ${REDACTED}`);
    expect(redactString("at 1764633600000 order ord_5bQ2Yx9mKp3Lr7sT1vW8zA")).toBe(
      "at 1764633600000 order ord_5bQ2Yx9mKp3Lr7sT1vW8zA",
    );
  });

  it("redacts nested objects, arrays and errors, and leaves Motor's own ids alone", () => {
    const fields = redactFields({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      requestId: "req-1",
      context: { user: { email: "a@b.example", password: "x" }, list: ["c@d.example"] },
      error: new Error("login failed for e@f.example"),
    });
    expect(fields).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      requestId: "req-1",
      context: { user: { email: "a***@b.example", password: REDACTED }, list: ["c***@d.example"] },
      error: "Error: login failed for e***@f.example",
    });
  });
});
