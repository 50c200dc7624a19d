import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { call, callJson } from "../../../test/helpers/http";

const validBody = { url: "https://hooks.shop.example/motor", events: ["order.created", "order.paid"] };

describe("admin webhook endpoints", () => {
  it("requires a token (401) and the webhooks:manage permission (403)", async () => {
    expect((await callJson("/v1/admin/webhooks", { body: validBody })).status).toBe(401);
    for (const role of ["customer", "staff"] as const) {
      const user = await createUser(role);
      expect((await callJson("/v1/admin/webhooks", { token: user.token, body: validBody })).status).toBe(403);
      expect((await callJson("/v1/admin/webhooks", { token: user.token })).status).toBe(403);
    }
  });

  it("registers an endpoint and shows its generated secret once", async () => {
    const admin = await createUser("admin");
    const created = await callJson<{ id: string; url: string; events: string[]; secret: string }>(
      "/v1/admin/webhooks",
      { token: admin.token, body: validBody },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^whk_/),
      url: validBody.url,
      events: validBody.events,
      secret: expect.stringMatching(/^whsec_.{40,}/),
    });
    const list = await callJson<{ data: Record<string, unknown>[] }>("/v1/admin/webhooks", { token: admin.token });
    const listed = list.body.data.find((endpoint) => endpoint.id === created.body.id);
    expect(listed).toMatchObject({ url: validBody.url, events: validBody.events });
    expect(listed).not.toHaveProperty("secret");
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
  });

  it("refuses an SSRF URL at registration with a 400 naming the url field", async () => {
    const admin = await createUser("admin");
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "https://[::1]/",
      "https://2130706433/",
      "https://user:pw@hooks.shop.example/",
      "gopher://x.example/",
    ]) {
      const { status, body } = await callJson<{ errors: { path: string }[] }>("/v1/admin/webhooks", {
        token: admin.token,
        body: { ...validBody, url },
      });
      expect(status, url).toBe(400);
      expect(body.errors[0]?.path).toBe("url");
    }
  });

  it.each([
    ["an unknown event type", { ...validBody, events: ["order.exploded"] }],
    ["no events", { ...validBody, events: [] }],
    [
      "the password reset event (its payload carries a live reset link)",
      { ...validBody, events: ["user.password_reset_requested"] },
    ],
    ["repeated events", { ...validBody, events: ["order.paid", "order.paid"] }],
    ["a wrong type", { url: 42, events: "order.paid" }],
    ["an unknown field", { ...validBody, secret: "mine" }],
    ["a huge URL", { ...validBody, url: `https://hooks.shop.example/${"a".repeat(5000)}` }],
  ])("answers 400 for %s", async (_label, body) => {
    const admin = await createUser("admin");
    const { status, response } = await callJson("/v1/admin/webhooks", { token: admin.token, body });
    expect(status).toBe(400);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
  });

  it("answers 400 for malformed JSON", async () => {
    const admin = await createUser("admin");
    expect((await call("/v1/admin/webhooks", { token: admin.token, body: "{not json" })).status).toBe(400);
  });

  it("deletes an endpoint (204), then 404; the deliveries of an unknown endpoint are 404", async () => {
    const admin = await createUser("admin");
    const created = await callJson<{ id: string }>("/v1/admin/webhooks", { token: admin.token, body: validBody });
    expect((await call(`/v1/admin/webhooks/${created.body.id}`, { method: "DELETE", token: admin.token })).status).toBe(
      204,
    );
    expect((await call(`/v1/admin/webhooks/${created.body.id}`, { method: "DELETE", token: admin.token })).status).toBe(
      404,
    );
    expect((await call(`/v1/admin/webhooks/${created.body.id}/deliveries`, { token: admin.token })).status).toBe(404);
  });
});
