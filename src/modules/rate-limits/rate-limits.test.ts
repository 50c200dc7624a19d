import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { call } from "../../../test/helpers/http";
import { captureLogs } from "../../../test/helpers/logs";
import { createTestApp } from "../../../test/helpers/test-app";
import type { Env } from "../../env";
import { continueTrace, runInTrace } from "../../platform/observability/trace";
import { ServerTimings } from "../../platform/timing";
import { freshIp, registerUser, send, uniqueEmail } from "../identity/identity.test-helpers";
import { DEFAULT_POLICIES, routeGroup } from "./rate-limits.policy";
import { returnUnit } from "./rate-limits.service";

/** The app served with other bindings (a broken limiter, overridden policies). */
function appWith(bindings: Partial<Record<string, unknown>>) {
  const { app } = createTestApp();
  return (path: string, init: RequestInit = {}) =>
    app.request(path, init, { ...env, ...bindings }, createExecutionContext());
}

const jsonPost = (body: unknown, ip = freshIp()): RequestInit => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
});

function limiterThat(fails: "throws" | "hangs") {
  const broken = () =>
    fails === "throws" ? Promise.reject(new Error("Durable Object unavailable")) : new Promise(() => {});
  return {
    idFromName: (name: string) => env.RATE_LIMITER.idFromName(name),
    get: () => ({ take: broken, lease: broken, giveBack: broken }),
  };
}

describe("per-account login failures", () => {
  it("30 wrong passwords in a row: 5 answers 401, then 429 with Retry-After and the RateLimit headers", async () => {
    const { email, password } = await registerUser();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let attempt = 0; attempt < 30; attempt += 1) {
      // a fresh IP every time: the account limit does not depend on where the guesses come from
      last = await call("/v1/auth/login", {
        body: { email, password: `wrong guess ${attempt}` },
        headers: { "CF-Connecting-IP": freshIp() },
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual(Array(25).fill(429));
    expect(Number(last!.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(last!.headers.get("RateLimit-Policy")).toBe(`"login-failures";q=5;w=900`);
    expect(last!.headers.get("RateLimit")).toMatch(/^"login-failures";r=0;t=\d+$/);
    // the right password is refused too while the account is locked
    expect((await send("/v1/auth/login", { email, password })).status).toBe(429);
    const failures = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'auth.login.failed' AND json_extract(details, '$.email') = ?",
    )
      .bind(email)
      .first<{ n: number }>();
    expect(failures?.n).toBe(5);
  });

  it("locks unknown emails the same way (a 429 does not reveal which accounts exist)", async () => {
    const email = uniqueEmail("ghost");
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1)
      statuses.push((await send("/v1/auth/login", { email, password: "whatever guess" })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("40 concurrent wrong passwords on one account: at most the burst (5) answer 401, the rest 429", async () => {
    const { email } = await registerUser();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, attempt) =>
        send("/v1/auth/login", { email, password: `concurrent guess ${attempt}` }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(
      DEFAULT_POLICIES["login-failures"].limit,
    );
    expect(statuses.filter((status) => status !== 401).every((status) => status === 429)).toBe(true);
  });

  it("successful logins spend nothing", async () => {
    const { email, password } = await registerUser();
    for (let attempt = 0; attempt < 8; attempt += 1)
      expect((await send("/v1/auth/login", { email, password })).status).toBe(200);
  });

  it("fails closed: login answers 503 when the limiter is unavailable", async () => {
    const { email, password } = await registerUser();
    const response = await appWith({ RATE_LIMITER: limiterThat("throws") })(
      "/v1/auth/login",
      jsonPost({ email, password }),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("5");
  });
});

describe("per-IP limits by route group", () => {
  it("answers 429 after the auth group's burst from one IP, while another IP is unaffected", async () => {
    const ip = freshIp();
    const { limit } = DEFAULT_POLICIES.auth;
    const forgot = () =>
      call("/v1/auth/password/forgot", { body: { email: "nobody@example.test" }, headers: { "CF-Connecting-IP": ip } });
    const first = await forgot();
    expect(first.headers.get("RateLimit")).toMatch(new RegExp(`^"auth";r=${limit - 1};t=\\d+$`));
    // units refill at one per second while the loop runs, so allow a few more than the burst
    let sent = 1;
    let refused = first;
    while (refused.status !== 429 && sent < limit + 10) {
      refused = await forgot();
      sent += 1;
    }
    expect(sent).toBeGreaterThan(limit);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Content-Type")).toBe("application/problem+json");
    expect(refused.headers.get("Retry-After")).toBe("1");
    expect(refused.headers.get("RateLimit-Policy")).toBe(`"auth";q=${limit};w=60`);
    expect(
      (
        await call("/v1/auth/password/forgot", {
          body: { email: "nobody@example.test" },
          headers: { "CF-Connecting-IP": freshIp() },
        })
      ).status,
    ).toBe(202);
  });

  it("meters catalog reads per IP with the generous catalog policy", async () => {
    expect(routeGroup("GET", "/v1/products")).toBe("catalog");
    expect(routeGroup("HEAD", "/v1/products/classic-tee")).toBe("catalog");
    expect(routeGroup("GET", "/v1/categories")).toBe("catalog");
    const response = await call("/v1/categories", { headers: { "CF-Connecting-IP": freshIp() } });
    expect(response.headers.get("RateLimit-Policy")).toBe(`"catalog";q=${DEFAULT_POLICIES.catalog.limit};w=60`);
    const request = appWith({ RATE_LIMIT_POLICIES: JSON.stringify({ catalog: { limit: 2, windowSeconds: 60 } }) });
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await request("/v1/categories", { headers: { "CF-Connecting-IP": ip } })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("keys IPv6 clients by /64: fresh addresses in one /64 share a bucket, another /64 does not", async () => {
    const request = appWith({ RATE_LIMIT_POLICIES: JSON.stringify({ auth: { limit: 2, windowSeconds: 60 } }) });
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;
    const statuses = [];
    for (const host of ["1", "2", "abcd:1:2:3"])
      statuses.push(
        (await request("/v1/auth/password/forgot", jsonPost({ email: "nobody@example.test" }, `${prefix}::${host}`)))
          .status,
      );
    expect(statuses).toEqual([202, 202, 429]);
    expect(
      (
        await request(
          "/v1/auth/password/forgot",
          jsonPost(
            { email: "nobody@example.test" },
            `2001:db8:ffff:${Math.floor(Math.random() * 0xffff).toString(16)}::1`,
          ),
        )
      ).status,
    ).toBe(202);
  });

  it("never keys on X-Forwarded-For: a rotating header does not buy new buckets", async () => {
    const request = appWith({ RATE_LIMIT_POLICIES: JSON.stringify({ auth: { limit: 2, windowSeconds: 60 } }) });
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 3; i += 1) {
      const init = jsonPost({ email: "nobody@example.test" }, ip);
      statuses.push(
        (
          await request("/v1/auth/password/forgot", {
            ...init,
            headers: { ...(init.headers as Record<string, string>), "X-Forwarded-For": freshIp() },
          })
        ).status,
      );
    }
    expect(statuses).toEqual([202, 202, 429]);
  });

  it("limits a percent-encoded path as the route it reaches (/v1/%61uth/login is a login)", async () => {
    const request = appWith({ RATE_LIMIT_POLICIES: JSON.stringify({ auth: { limit: 1, windowSeconds: 60 } }) });
    const ip = freshIp();
    const body = { email: uniqueEmail("encoded"), password: "some wrong guess" };
    expect((await request("/v1/auth/login", jsonPost(body, ip))).status).toBe(401);
    const encoded = await request("/v1/%61uth/login", jsonPost(body, ip));
    expect(encoded.status).toBe(429);
    expect(encoded.headers.get("RateLimit-Policy")).toContain('"auth"');
  });

  it("policies are configurable with the RATE_LIMIT_POLICIES var", async () => {
    const request = appWith({ RATE_LIMIT_POLICIES: JSON.stringify({ auth: { limit: 2, windowSeconds: 60 } }) });
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await request("/v1/auth/password/forgot", jsonPost({ email: "nobody@example.test" }, ip))).status);
    expect(statuses).toEqual([202, 202, 429]);
  });

  it.each(["throws", "hangs"] as const)("fails open for general API traffic when the limiter %s", async (failure) => {
    const user = await createUser("customer");
    const response = await appWith({ RATE_LIMITER: limiterThat(failure) })("/v1/me", {
      headers: { Authorization: `Bearer ${user.token}`, "CF-Connecting-IP": freshIp() },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("RateLimit")).toBeNull();
  });

  it("puts RateLimit headers on limited answers and costs one Durable Object call", async () => {
    const user = await createUser("customer");
    const response = await call("/v1/me", { token: user.token, headers: { "CF-Connecting-IP": freshIp() } });
    expect(response.headers.get("RateLimit-Policy")).toBe(`"api";q=${DEFAULT_POLICIES.api.limit};w=60`);
    expect(response.headers.get("Server-Timing")).toMatch(/(^|, )do;dur=/);
  });

  const calledLimiter = (response: Response) => /(^|, )do;dur=/.test(response.headers.get("Server-Timing") ?? "");

  it("leases catalog units in doubling blocks: 4 Durable Object calls for 21 reads from an IP, RateLimit counting every read", async () => {
    const ip = freshIp();
    const read = () => call("/v1/categories", { headers: { "CF-Connecting-IP": ip } });
    const calls: boolean[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < 21; i += 1) {
      const response = await read();
      calls.push(calledLimiter(response));
      remaining.push(/r=(\d+)/.exec(response.headers.get("RateLimit") ?? "")?.[1] ?? "");
    }
    expect(calls.flatMap((called, index) => (called ? [index] : []))).toEqual([0, 2, 6, 14]);
    expect(remaining.slice(0, 3)).toEqual(["1199", "1198", "1197"]);
  });

  it("makes one call for a burst of parallel reads from one IP: the others wait for its block", async () => {
    const ip = freshIp();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => call("/v1/categories", { headers: { "CF-Connecting-IP": ip } })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array<number>(10).fill(200));
    // blocks of 2, 4 and 8 cover the ten; without the wait, every read would make its own call
    expect(responses.filter(calledLimiter).length).toBeLessThanOrEqual(3);
  });

  it("lets a leased group's requests through without asking again while its limiter is unavailable", async () => {
    let calls = 0;
    const failing = {
      idFromName: (name: string) => env.RATE_LIMITER.idFromName(name),
      get: () => ({
        lease: () => {
          calls += 1;
          return Promise.reject(new Error("no such method"));
        },
      }),
    };
    const request = appWith({ RATE_LIMITER: failing });
    const ip = freshIp();
    for (let i = 0; i < 3; i += 1)
      expect((await request("/v1/categories", { headers: { "CF-Connecting-IP": ip } })).status).toBe(200);
    expect(calls).toBe(1);
  });

  it("a leased group still refuses past its limit, and keeps refusing without asking the object", async () => {
    const request = appWith({ RATE_LIMIT_POLICIES: JSON.stringify({ catalog: { limit: 120, windowSeconds: 60 } }) });
    const ip = freshIp();
    let allowed = 0;
    let refusal: Response | null = null;
    while (!refusal && allowed < 200) {
      const response = await request("/v1/categories", { headers: { "CF-Connecting-IP": ip } });
      if (response.status === 429) refusal = response;
      else allowed += 1;
    }
    // one unit refills every 500 ms while the loop runs
    expect(allowed).toBeGreaterThanOrEqual(120);
    expect(allowed).toBeLessThan(130);
    expect(refusal?.headers.get("Retry-After")).toBe("1");
    const again = await request("/v1/categories", { headers: { "CF-Connecting-IP": ip } });
    expect(again.status).toBe(429);
    expect(calledLimiter(again)).toBe(false);
  });

  it("never leases credentials: every sign-in attempt is one exact call", async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i += 1)
      expect(
        calledLimiter(
          await call("/v1/auth/password/forgot", {
            body: { email: "nobody@example.test" },
            headers: { "CF-Connecting-IP": ip },
          }),
        ),
      ).toBe(true);
  });

  it.each(["/health", "/ready", "/.well-known/jwks.json", "/openapi.json"])(
    "does not limit GET %s (no Durable Object round-trip)",
    async (path) => {
      expect(routeGroup("GET", path)).toBeNull();
      const response = await call(path);
      expect(response.headers.get("RateLimit")).toBeNull();
      if (path !== "/ready") expect(response.headers.get("Server-Timing") ?? "").not.toMatch(/(^|, )do;dur=/);
    },
  );

  it("groups routes: credentials as auth; sessions, catalog writes and admin as api; webhooks unlimited", () => {
    expect(routeGroup("POST", "/v1/auth/login")).toBe("auth");
    expect(routeGroup("POST", "/v1/auth/register")).toBe("auth");
    expect(routeGroup("POST", "/v1/auth/refresh")).toBe("api");
    expect(routeGroup("POST", "/v1/auth/logout")).toBe("api");
    expect(routeGroup("POST", "/v1/admin/products")).toBe("api");
    expect(routeGroup("POST", "/v1/products")).toBe("api");
    expect(routeGroup("POST", "/v1/carts")).toBe("api");
    expect(routeGroup("POST", "/v1/webhooks/payments/test")).toBeNull();
  });

  it("logs a lost give-back (best effort) as a warning under the request's trace", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const brokenEnv = { ...env, RATE_LIMITER: limiterThat("throws") } as unknown as Env;
    const logs = captureLogs();
    try {
      await runInTrace(continueTrace(`00-${traceId}-b7ad6b7169203331-01`), () =>
        returnUnit(brokenEnv, new ServerTimings(), "login-failures", uniqueEmail("giveback")),
      );
      expect(logs.json().filter((line) => line.msg === "rate limiter give-back failed")).toEqual([
        expect.objectContaining({ level: "warn", policy: "login-failures", traceId }),
      ]);
    } finally {
      logs.restore();
    }
  });
});
