import { describe, expect, it } from "vitest";
import { callJson } from "../../test/helpers/http";
import { humanText, isSafeText } from "./text";

describe("human-readable text", () => {
  const name = humanText(1, 100);

  it("normalises to NFC and trims", () => {
    expect(name.parse("  Jose\u0301  ")).toBe("Jos\u00e9");
  });

  it.each([
    ["NUL", "Ada\u0000Lovelace"],
    ["a line feed in a single-line field", "Ada\nLovelace"],
    ["a C1 control", "Ada\u0085"],
    ["a right-to-left override", "invoice\u202Egpj.exe"],
    ["a bidi isolate", "\u2066admin\u2069"],
    ["a right-to-left mark", "Ada\u200F"],
    ["a zero-width space", "ad\u200Bmin"],
    ["a byte-order mark inside", "Ad\uFEFFa"],
    ["a lone high surrogate", "Ada\uD800"],
    ["a lone low surrogate", "\uDC00Ada"],
  ])("refuses %s", (_label, value) => {
    expect(name.safeParse(value).success).toBe(false);
  });

  it("allows line breaks and tabs only in multi-line fields, and any script or emoji everywhere", () => {
    expect(isSafeText("line one\nline two\ttabbed", { multiline: true })).toBe(true);
    expect(isSafeText("line one\nline two")).toBe(false);
    expect(["Zoë", "東京", "محمد", "👩‍💻 Ada"].every((value) => isSafeText(value))).toBe(true);
  });

  it("is enforced where a name is stored: registration answers 400 and stores nothing raw", async () => {
    const email = `${crypto.randomUUID()}@example.test`;
    const refused = await callJson<{ errors: { path: string }[] }>("/v1/auth/register", {
      body: { email, password: "a perfectly long passphrase", name: "Eve\u202Enimda" },
      headers: { "CF-Connecting-IP": "10.77.0.1" },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]?.path).toBe("name");
    const accepted = await callJson<{ user: { name: string } }>("/v1/auth/register", {
      body: { email, password: "a perfectly long passphrase", name: "Jose\u0301" },
      headers: { "CF-Connecting-IP": "10.77.0.2" },
    });
    expect(accepted.body.user.name).toBe("Jos\u00e9");
  });
});
