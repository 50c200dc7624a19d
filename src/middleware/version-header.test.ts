import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../../test/helpers/http";

describe("Motor-Version header", () => {
  it("names the version that answered, from the version metadata binding", async () => {
    const { response } = await callJson("/health");
    expect(env.CF_VERSION_METADATA?.id).toBeTruthy();
    expect(response.headers.get("Motor-Version")).toBe(env.CF_VERSION_METADATA?.id);
  });

  it("is on problem answers too", async () => {
    const { status, response } = await callJson("/v1/no-such-route");
    expect(status).toBe(404);
    expect(response.headers.get("Motor-Version")).toBe(env.CF_VERSION_METADATA?.id);
  });
});
