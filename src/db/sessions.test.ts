import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../test/helpers/cart";
import { createUser } from "../../test/helpers/auth";
import { callJson } from "../../test/helpers/http";
import { createApp } from "../app";
import { readyCartOverHttp } from "../modules/checkout/checkout.fixtures";
import { stockLockFor } from "../modules/inventory/inventory.shards";
import { BOOKMARK_HEADER, sessionStart } from "./sessions";

beforeAll(ensurePricingRules);

/** The real D1 binding, with every SQL text recorded by where it ran: the plain binding (primary) or a session. */
function recordingD1(real: D1Database) {
  const primary: string[] = [];
  const session: string[] = [];
  const opened: Array<string | undefined> = [];
  const recorded = <T extends object>(target: T, into: string[]): T =>
    new Proxy(target, {
      get(t, property) {
        const value = Reflect.get(t, property) as unknown;
        if (property === "prepare")
          return (query: string) => (into.push(query), (t as unknown as D1Database).prepare(query));
        if (property === "withSession")
          return (start?: string) => (opened.push(start), recorded(real.withSession(start), session));
        return typeof value === "function" ? value.bind(t) : value;
      },
    });
  return { db: recorded(real, primary), primary, session, opened };
}

describe("D1 sessions", () => {
  it("answers a bookmark, and a request that sends it back reads its own write", async () => {
    const created = await callJson<{ id: string }>("/v1/carts", { method: "POST", body: { country: "ES" } });
    const bookmark = created.response.headers.get(BOOKMARK_HEADER);
    expect(bookmark).toMatch(/^[A-Za-z0-9-]+$/);
    const read = await callJson(`/v1/carts/${created.body.id}`, { headers: { [BOOKMARK_HEADER]: bookmark! } });
    expect(read.status).toBe(200);
    expect(read.response.headers.get(BOOKMARK_HEADER)).toMatch(/^[A-Za-z0-9-]+$/);
  });

  it("opens no session for a request that reads no D1, and hands the client's bookmark back unchanged", async () => {
    const d1 = recordingD1(env.DB);
    const context = {
      waitUntil: () => undefined,
      passThroughOnException: () => undefined,
      props: {},
    } as unknown as ExecutionContext;
    const bookmark = "00000001-00000002-00004f4b-0123abcd";
    const response = await createApp().request(
      "/health",
      { headers: { [BOOKMARK_HEADER]: bookmark } },
      { ...env, DB: d1.db },
      context,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get(BOOKMARK_HEADER)).toBe(bookmark);
    expect([...d1.primary, ...d1.session]).toEqual([]);
    expect(d1.opened).toEqual([]);
    const plain = await createApp().request("/health", {}, { ...env, DB: d1.db }, context);
    expect(plain.headers.get(BOOKMARK_HEADER)).toBeNull();
  });

  it.each([
    ["spaces and quotes", 'abc def"'],
    ["too long", "a".repeat(129)],
    ["hostile", "'; DROP TABLE carts;--"],
  ])("answers 400 to a bookmark that is %s", async (_label, bookmark) => {
    const { status, body } = await callJson<{ errors: unknown[] }>("/v1/products", {
      headers: { [BOOKMARK_HEADER]: bookmark },
    });
    expect(status).toBe(400);
    expect(body.errors.length).toBeGreaterThan(0);
  });

  it("lets reads start anywhere, writes start on the primary, and a bookmark win over both", () => {
    expect(sessionStart("GET", undefined)).toBe("first-unconstrained");
    expect(sessionStart("POST", undefined)).toBe("first-primary");
    expect(sessionStart("GET", "00000001-00000002-00004f4b-0123abcd")).toBe("00000001-00000002-00004f4b-0123abcd");
  });
});

describe("primary-only queries", () => {
  it("idempotency lookups and the whole checkout (live-checkout lookups included) run on the primary, never on a session", async () => {
    const sku = await createSellableSku({ onHand: 5 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    const d1 = recordingD1(env.DB);
    const app = createApp();
    const context = {
      waitUntil: () => undefined,
      passThroughOnException: () => undefined,
      props: {},
    } as unknown as ExecutionContext;
    const response = await app.request(
      "/v1/checkout",
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
        body: JSON.stringify({ cartId, paymentMethod: "pm_card_visa" }),
      },
      { ...env, DB: d1.db },
      context,
    );
    expect(response.status).toBe(201);
    const touches = (table: string) => (query: string) => query.includes(`"${table}"`);
    expect(d1.primary.filter(touches("idempotency_keys")).length).toBeGreaterThan(0);
    expect(d1.primary.filter(touches("checkouts")).length).toBeGreaterThan(0);
    expect(d1.session.filter(touches("idempotency_keys"))).toEqual([]);
    expect(d1.session.filter(touches("checkouts"))).toEqual([]);
  });

  it.each([
    ["a GET", "GET", {}],
    ["a POST carrying an old bookmark", "POST", { [BOOKMARK_HEADER]: "00000001-00000002-00004f4b-0123abcd" }],
  ])(
    "a staff token's authority (role, token version) is read on the primary on %s, never on a session",
    async (_label, method, headers) => {
      const staff = await createUser("staff");
      const d1 = recordingD1(env.DB);
      const context = {
        waitUntil: () => undefined,
        passThroughOnException: () => undefined,
        props: {},
      } as unknown as ExecutionContext;
      const path = method === "GET" ? "/v1/admin/orders" : "/v1/admin/orders/ord_none/transition";
      const body = method === "GET" ? undefined : JSON.stringify({ to: "fulfilled" });
      const response = await createApp().request(
        path,
        {
          method,
          body,
          headers: { Authorization: `Bearer ${staff.token}`, "Content-Type": "application/json", ...headers },
        },
        { ...env, DB: d1.db },
        context,
      );
      expect(response.status).not.toBe(401);
      const readsUsers = (query: string) => query.includes('"users"');
      expect(d1.primary.filter(readsUsers).length).toBeGreaterThan(0);
      expect(d1.session.filter(readsUsers)).toEqual([]);
    },
  );

  it("the StockLock reads on-hand, its ledger and its sales through the plain binding (the primary)", async () => {
    const sku = await createSellableSku({ onHand: 1 });
    const stub = stockLockFor(env, sku);
    await stub.snapshot(sku);
    // its drizzle handle wraps the binding itself, not a session (which may read a replica)
    const plain = await runInDurableObject(stub, (instance) => {
      const inside = instance as unknown as { db: { $client: unknown }; env: { DB: unknown } };
      return inside.db.$client === inside.env.DB;
    });
    expect(plain).toBe(true);
  });
});
