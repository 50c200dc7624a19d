import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../env";
import { BreakerOpenError } from "../../platform/resilience/circuit-breaker";
import { DEFAULT_EMAIL_ENDPOINT, EmailProviderError } from "./email.http";
import { LocalEmailAdapter } from "./email.local";
import { emailAdapterFor } from "./email.provider";

// a fresh object per case: the parsed config is cached per env object
const withVars = (vars: Partial<Env>) => ({ ...env, ...vars }) as Env;
const message = {
  to: "buyer@example.test",
  subject: "Hello",
  text: "t",
  html: "<p>t</p>",
  idempotencyKey: "evt_1:order.created",
};
afterEach(() => vi.unstubAllGlobals());

describe("email adapter selection", () => {
  it("uses the local outbox by default", () => {
    expect(emailAdapterFor(withVars({ EMAIL_PROVIDER: "local" }))).toBeInstanceOf(LocalEmailAdapter);
  });

  it("uses the HTTP provider when configured with its API key", async () => {
    const provider = vi.fn(async () => Response.json({ id: "re_1" }));
    vi.stubGlobal("fetch", provider);
    await emailAdapterFor(
      withVars({ EMAIL_PROVIDER: "http", EMAIL_API_KEY: "re_key", EMAIL_FROM: "Motor <orders@shop.example>" }),
    ).send(message);
    expect(provider).toHaveBeenCalledWith(DEFAULT_EMAIL_ENDPOINT, expect.objectContaining({ method: "POST" }));
  });

  it("puts the HTTP provider behind the email breaker: once open, sends fail at once without a request", async () => {
    const provider = vi.fn(async () => new Response("overloaded", { status: 503 }));
    vi.stubGlobal("fetch", provider);
    const vars = withVars({
      EMAIL_PROVIDER: "http",
      EMAIL_API_KEY: "re_key",
      EMAIL_FROM: "Motor <orders@shop.example>",
      OBSERVABILITY: JSON.stringify({ breaker: { failureThreshold: 1, openMs: 60_000 }, retry: { attempts: 1 } }),
    });
    await expect(emailAdapterFor(vars).send(message)).rejects.toBeInstanceOf(EmailProviderError);
    await expect(emailAdapterFor(vars).send(message)).rejects.toBeInstanceOf(BreakerOpenError);
    expect(provider).toHaveBeenCalledTimes(1);
  });

  it("fails loudly (so the job retries, then dead-letters) when the HTTP provider has no API key", () => {
    expect(() =>
      emailAdapterFor(withVars({ EMAIL_PROVIDER: "http", EMAIL_API_KEY: undefined, EMAIL_FROM: "a@shop.example" })),
    ).toThrow(/EMAIL_API_KEY/);
  });

  it("refuses to send through the HTTP provider from the local default sender", () => {
    expect(() =>
      emailAdapterFor(withVars({ EMAIL_PROVIDER: "http", EMAIL_API_KEY: "re_key", EMAIL_FROM: undefined })),
    ).toThrow(/EMAIL_FROM/);
  });
});
