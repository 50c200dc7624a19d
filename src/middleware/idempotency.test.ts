import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../app";
import { answerCarriesSecret } from "./idempotency";
import { createDatabase } from "../db/client";
import { idempotencyKeys } from "../db/schema";
import { purgeExpiredIdempotencyKeys } from "../modules/idempotency/purge";
import { IDEMPOTENCY_TTL_MS, STALE_CLAIM_MS } from "../modules/idempotency/idempotency.service";
import { newId } from "../platform/ids";
import { createUser } from "../../test/helpers/auth";

/** The real app plus counting routes, so a test can see how many times a handler really ran. */
function appWithCounters() {
  const app = createApp();
  const runs = { created: 0, slow: 0, flaky: 0, missing: 0 };
  let releaseSlow: () => void = () => {};
  const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
  app.post("/test/things", async (c) => {
    runs.created += 1;
    const body = await c.req.json<{ name: string }>();
    return c.json({ id: newId("thing"), name: body.name, run: runs.created }, 201);
  });
  app.post("/test/slow", async (c) => {
    runs.slow += 1;
    await slowGate;
    return c.json({ run: runs.slow }, 201);
  });
  app.post("/test/flaky", (c) => {
    runs.flaky += 1;
    if (runs.flaky === 1) throw new Error("D1_ERROR: storage unavailable");
    return c.json({ run: runs.flaky }, 201);
  });
  app.post("/test/missing", (c) => {
    runs.missing += 1;
    return c.json({ title: "nope" }, 404);
  });
  const post = (path: string, options: { key?: string; body?: unknown; token?: string } = {}) => {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (options.key !== undefined) headers["Idempotency-Key"] = options.key;
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    return app.request(path, { method: "POST", headers, body: JSON.stringify(options.body ?? { name: "a" }) }, env);
  };
  return { app, runs, post, releaseSlow };
}

const freshKey = () => newId("idem");
const db = () => createDatabase(env.DB);

describe("idempotency middleware", () => {
  it("replays the first answer for the same key and body, marked Idempotent-Replayed", async () => {
    const { post, runs } = appWithCounters();
    const key = freshKey();
    const first = await post("/test/things", { key, body: { name: "lamp" } });
    const second = await post("/test/things", { key, body: { name: "lamp" } });
    expect(first.status).toBe(201);
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    expect(second.status).toBe(201);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(second.headers.get("Content-Type")).toContain("application/json");
    expect(await second.json()).toEqual(await first.json());
    expect(runs.created).toBe(1);
  });

  it("answers 422 when the key is reused with another body", async () => {
    const { post, runs } = appWithCounters();
    const key = freshKey();
    await post("/test/things", { key, body: { name: "lamp" } });
    const other = await post("/test/things", { key, body: { name: "chair" } });
    expect(other.status).toBe(422);
    expect(other.headers.get("Content-Type")).toBe("application/problem+json");
    expect(runs.created).toBe(1);
  });

  it("answers 422 when the key is reused on another path", async () => {
    const { post } = appWithCounters();
    const key = freshKey();
    await post("/test/things", { key });
    expect((await post("/test/missing", { key })).status).toBe(422);
  });

  it("answers 409 to a duplicate that arrives while the first is still running, then replays", async () => {
    const { post, runs, releaseSlow } = appWithCounters();
    const key = freshKey();
    const first = post("/test/slow", { key });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const duplicate = await post("/test/slow", { key });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get("Retry-After")).toBe("1");
    releaseSlow();
    expect((await first).status).toBe(201);
    const later = await post("/test/slow", { key });
    expect(later.headers.get("Idempotent-Replayed")).toBe("true");
    expect(runs.slow).toBe(1);
  });

  it("lets exactly one of ten simultaneous requests with one key run", async () => {
    const { post, runs, releaseSlow } = appWithCounters();
    const key = freshKey();
    const answers = Array.from({ length: 10 }, () => post("/test/slow", { key }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    releaseSlow();
    const statuses = (await Promise.all(answers)).map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    expect(runs.slow).toBe(1);
  });

  it("does not store a 5xx answer: a retry with the same key runs again", async () => {
    const { post, runs } = appWithCounters();
    const key = freshKey();
    expect((await post("/test/flaky", { key })).status).toBe(500);
    const retry = await post("/test/flaky", { key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBeNull();
    expect(runs.flaky).toBe(2);
  });

  it("stores and replays a 4xx answer", async () => {
    const { post, runs } = appWithCounters();
    const key = freshKey();
    await post("/test/missing", { key });
    const replay = await post("/test/missing", { key });
    expect(replay.status).toBe(404);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(runs.missing).toBe(1);
  });

  it("runs every request without a key", async () => {
    const { post, runs } = appWithCounters();
    await post("/test/things");
    await post("/test/things");
    expect(runs.created).toBe(2);
  });

  it.each([
    ["too short", "abc"],
    ["too long", "k".repeat(256)],
    ["spaces", "key with spaces"],
    ["non-ASCII", "clé-idempotence-ü"],
    ["quotes and angle brackets", "<script>'\"</script>"],
    ["empty", ""],
  ])("rejects a malformed key (%s) with 400", async (_, key) => {
    const { post, runs } = appWithCounters();
    const answer = await post("/test/things", { key });
    expect(answer.status).toBe(400);
    const problem = await answer.json<{ errors: { path: string }[] }>();
    expect(problem.errors[0]?.path).toBe("headers.Idempotency-Key");
    expect(runs.created).toBe(0);
  });

  it("scopes keys to the caller: two users and an anonymous caller with one key each run", async () => {
    const { post, runs } = appWithCounters();
    const [alice, bob] = await Promise.all([createUser(), createUser()]);
    const key = freshKey();
    for (const token of [alice.token, bob.token, undefined]) {
      const answer = await post("/test/things", { key, token });
      expect(answer.headers.get("Idempotent-Replayed")).toBeNull();
    }
    expect(runs.created).toBe(3);
    expect((await post("/test/things", { key, token: alice.token })).headers.get("Idempotent-Replayed")).toBe("true");
  });

  it("ignores the header on GET", async () => {
    const { app } = appWithCounters();
    const key = freshKey();
    const answer = await app.request("/health", { headers: { "Idempotency-Key": key } }, env);
    expect(answer.status).toBe(200);
    expect(
      await db()
        .select()
        .from(idempotencyKeys)
        .all()
        .then((rows) => rows.filter((row) => row.key === key)),
    ).toEqual([]);
  });

  it("takes over a claim left in progress by a crashed attempt", async () => {
    const { post, runs } = appWithCounters();
    const key = freshKey();
    await post("/test/things", { key });
    const { eq } = await import("drizzle-orm");
    await db()
      .update(idempotencyKeys)
      .set({ status: "in_progress", lockedAt: Date.now() - STALE_CLAIM_MS - 1 })
      .where(eq(idempotencyKeys.key, key))
      .run();
    const retry = await post("/test/things", { key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBeNull();
    expect(runs.created).toBe(2);
  });

  it("treats an expired record as absent", async () => {
    const { post, runs } = appWithCounters();
    const key = freshKey();
    await post("/test/things", { key, body: { name: "old" } });
    const { eq } = await import("drizzle-orm");
    await db()
      .update(idempotencyKeys)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(idempotencyKeys.key, key))
      .run();
    const answer = await post("/test/things", { key, body: { name: "new" } });
    expect(answer.status).toBe(201);
    expect(runs.created).toBe(2);
  });

  it("keeps records 24 hours and the purge job deletes only expired ones", async () => {
    const { post } = appWithCounters();
    const [kept, expired] = [freshKey(), freshKey()];
    const before = Date.now();
    await post("/test/things", { key: kept });
    await post("/test/things", { key: expired });
    const { eq, inArray } = await import("drizzle-orm");
    const stored = await db().select().from(idempotencyKeys).where(eq(idempotencyKeys.key, kept)).get();
    expect(stored?.expiresAt).toBeGreaterThanOrEqual(before + IDEMPOTENCY_TTL_MS);
    await db()
      .update(idempotencyKeys)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(idempotencyKeys.key, expired))
      .run();
    await purgeExpiredIdempotencyKeys.run(env, Date.now());
    const left = await db()
      .select({ key: idempotencyKeys.key })
      .from(idempotencyKeys)
      .where(inArray(idempotencyKeys.key, [kept, expired]))
      .all();
    expect(left.map((row) => row.key)).toEqual([kept]);
  });

  it.each(["/v1/%61uth/login", "/v1/auth/%6Cogin", "/v1/auth/login/"])(
    "never stores or replays a login reached through %s (path decisions use the routed path)",
    async (path) => {
      const { callJson } = await import("../../test/helpers/http");
      const email = `${newId("idem").toLowerCase()}@example.test`;
      const password = "a long enough password";
      await callJson("/v1/auth/register", { body: { email, password, name: "Idem" } });
      const key = newId("key");
      const first = await callJson<{ refreshToken: string }>(path, {
        body: { email, password },
        headers: { "Idempotency-Key": key },
      });
      const second = await callJson<{ refreshToken: string }>(path, {
        body: { email, password },
        headers: { "Idempotency-Key": key },
      });
      expect(first.status).toBe(200);
      expect(second.response.headers.get("Idempotent-Replayed")).toBeNull();
      expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
      expect(
        await db()
          .select()
          .from(idempotencyKeys)
          .all()
          .then((rows) => rows.filter((row) => row.key === key)),
      ).toEqual([]);
    },
  );

  it("never stores an answer its handler marks as carrying a secret, whatever the path", async () => {
    const { app } = appWithCounters();
    let runs = 0;
    app.post("/test/secret", (c) => {
      runs += 1;
      answerCarriesSecret(c);
      return c.json({ secret: newId("sec") }, 201);
    });
    const key = freshKey();
    const post = () =>
      app.request(
        "/test/secret",
        { method: "POST", headers: { "Content-Type": "application/json", "Idempotency-Key": key }, body: "{}" },
        env,
      );
    const [first, second] = [await post(), await post()];
    expect(second.headers.get("Idempotent-Replayed")).toBeNull();
    expect((await second.json<{ secret: string }>()).secret).not.toBe((await first.json<{ secret: string }>()).secret);
    expect(runs).toBe(2);
    expect(
      await db()
        .select()
        .from(idempotencyKeys)
        .all()
        .then((rows) => rows.filter((row) => row.key === key)),
    ).toEqual([]);
  });

  it("never stores a webhook endpoint's signing secret in an idempotency record", async () => {
    const { callJson } = await import("../../test/helpers/http");
    const admin = await createUser("admin");
    const key = freshKey();
    const answer = await callJson<{ secret: string }>("/v1/admin/webhooks", {
      token: admin.token,
      body: { url: `https://${newId("m").toLowerCase()}.example.com/hooks`, events: ["order.created"] },
      headers: { "Idempotency-Key": key },
    });
    expect(answer.status).toBe(201);
    const stored = await db().select().from(idempotencyKeys).all();
    expect(stored.filter((row) => row.key === key)).toEqual([]);
    expect(stored.some((row) => (row.responseBody ?? "").includes(answer.body.secret))).toBe(false);
  });

  it("never stores or replays auth answers, which carry live tokens", async () => {
    const { callJson } = await import("../../test/helpers/http");
    const email = `${newId("idem").toLowerCase()}@example.test`;
    const password = "a long enough password";
    await callJson("/v1/auth/register", { body: { email, password, name: "Idem" } });
    const key = newId("key");
    const first = await callJson<{ refreshToken: string }>("/v1/auth/login", {
      body: { email, password },
      headers: { "Idempotency-Key": key },
    });
    const second = await callJson<{ refreshToken: string }>("/v1/auth/login", {
      body: { email, password },
      headers: { "Idempotency-Key": key },
    });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.response.headers.get("Idempotent-Replayed")).toBeNull();
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
  });
});
