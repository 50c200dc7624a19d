import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../env";
import { HttpEmailAdapter } from "./email.http";
import { LocalEmailAdapter } from "./email.local";
import { emailAdapterFor } from "./email.provider";

// a fresh object per case: the parsed config is cached per env object
const withVars = (vars: Partial<Env>) => ({ ...env, ...vars }) as Env;

describe("email adapter selection", () => {
  it("uses the local outbox by default", () => {
    expect(emailAdapterFor(withVars({ EMAIL_PROVIDER: "local" }))).toBeInstanceOf(LocalEmailAdapter);
  });

  it("uses the HTTP provider when configured with its API key", () => {
    expect(emailAdapterFor(withVars({ EMAIL_PROVIDER: "http", EMAIL_API_KEY: "re_key", EMAIL_FROM: "Motor <orders@shop.example>" }))).toBeInstanceOf(HttpEmailAdapter);
  });

  it("fails loudly (so the job retries, then dead-letters) when the HTTP provider has no API key", () => {
    expect(() => emailAdapterFor(withVars({ EMAIL_PROVIDER: "http", EMAIL_API_KEY: undefined, EMAIL_FROM: "a@shop.example" }))).toThrow(/EMAIL_API_KEY/);
  });

  it("refuses to send through the HTTP provider from the local default sender", () => {
    expect(() => emailAdapterFor(withVars({ EMAIL_PROVIDER: "http", EMAIL_API_KEY: "re_key", EMAIL_FROM: undefined }))).toThrow(/EMAIL_FROM/);
  });
});
