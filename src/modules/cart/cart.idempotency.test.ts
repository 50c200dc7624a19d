import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";

const create = (key: string, ip: string, token?: string) =>
  callJson<{ id: string }>("/v1/carts", {
    method: "POST",
    body: { country: "ES" },
    token,
    headers: { "Idempotency-Key": key, "CF-Connecting-IP": ip },
  });

describe("Idempotency-Key on POST /v1/carts", () => {
  it("never hands an anonymous cart (its id is its credential) to another client presenting the same key and body", async () => {
    const key = crypto.randomUUID();
    const first = await create(key, "203.0.113.10");
    const second = await create(key, "198.51.100.20");
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.response.headers.get("Idempotent-Replayed")).toBeNull();
  });

  it("still replays a signed-in customer's cart to that customer (the key is scoped to the user)", async () => {
    const user = await createUser("customer");
    const key = crypto.randomUUID();
    const first = await create(key, "203.0.113.11", user.token);
    const again = await create(key, "198.51.100.21", user.token);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.response.headers.get("Idempotent-Replayed")).toBe("true");
  });
});
