import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { insertPaidOrder } from "./orders.fixtures";
import type { OrderView } from "./orders.schemas";

type Page = { data: OrderView[]; nextCursor: string | null };

describe("reading orders", () => {
  it("shows an order to its owner with lines and money in minor units", async () => {
    const owner = await createUser();
    const order = await insertPaidOrder({ userId: owner.id, quantity: 3 });
    const { status, body, response } = await callJson<OrderView>(`/v1/orders/${order.id}`, { token: owner.token });
    expect(status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(body).toMatchObject({
      id: order.id,
      status: "paid",
      total: { amount: 4500, currency: "EUR" },
      lines: [
        {
          sku: order.sku,
          quantity: 3,
          unitPrice: { amount: 1500, currency: "EUR" },
          total: { amount: 4500, currency: "EUR" },
        },
      ],
    });
  });

  it("answers 404 to another customer, to an anonymous caller and for an unknown id", async () => {
    const [owner, stranger] = await Promise.all([createUser(), createUser()]);
    const order = await insertPaidOrder({ userId: owner.id });
    expect((await callJson(`/v1/orders/${order.id}`, { token: stranger.token })).status).toBe(404);
    expect((await callJson(`/v1/orders/${order.id}`)).status).toBe(404);
    expect((await callJson(`/v1/orders/ord_0000000000000000000000`, { token: owner.token })).status).toBe(404);
  });

  it("hides a guest order from everyone but staff", async () => {
    const [customer, staff] = await Promise.all([createUser(), createUser("staff")]);
    const order = await insertPaidOrder({ userId: null });
    expect((await callJson(`/v1/orders/${order.id}`, { token: customer.token })).status).toBe(404);
    expect((await callJson(`/v1/orders/${order.id}`, { token: staff.token })).status).toBe(200);
  });

  it("answers 400 for a malformed order id and 401 for a forged token", async () => {
    const owner = await createUser();
    expect((await callJson(`/v1/orders/${"x".repeat(300)}`, { token: owner.token })).status).toBe(400);
    expect(
      (await callJson(`/v1/orders/ord_0000000000000000000000`, { token: `${owner.token.slice(0, -4)}AAAA` })).status,
    ).toBe(401);
  });

  it("lists only my orders, newest first, page by page", async () => {
    const [me, other] = await Promise.all([createUser(), createUser()]);
    const base = Date.now();
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push(await insertPaidOrder({ userId: me.id, createdAt: base + i }));
    await insertPaidOrder({ userId: other.id });
    const first = await callJson<Page>("/v1/orders?limit=2", { token: me.token });
    expect(first.status).toBe(200);
    expect(first.body.data.map((order) => order.id)).toEqual([mine[2]?.id, mine[1]?.id]);
    expect(first.body.data[0]?.lines).toHaveLength(1);
    const second = await callJson<Page>(`/v1/orders?limit=2&cursor=${first.body.nextCursor}`, { token: me.token });
    expect(second.body.data.map((order) => order.id)).toEqual([mine[0]?.id]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("requires a signed-in caller for my orders and validates the page query", async () => {
    const me = await createUser();
    expect((await callJson("/v1/orders")).status).toBe(401);
    expect((await callJson("/v1/orders?limit=101", { token: me.token })).status).toBe(400);
    expect((await callJson("/v1/orders?limit=abc", { token: me.token })).status).toBe(400);
    expect((await callJson("/v1/orders?cursor=not-a-cursor%7B", { token: me.token })).status).toBe(400);
  });
});

describe("the staff order list", () => {
  it("lists every customer's orders and filters by status", async () => {
    const [staff, buyer] = await Promise.all([createUser("staff"), createUser()]);
    const shipped = await insertPaidOrder({ userId: buyer.id, status: "shipped" });
    const paid = await insertPaidOrder({ userId: buyer.id });
    const { status, body } = await callJson<Page>("/v1/admin/orders?status=shipped&limit=100", { token: staff.token });
    expect(status).toBe(200);
    const ids = body.data.map((order) => order.id);
    expect(ids).toContain(shipped.id);
    expect(ids).not.toContain(paid.id);
    expect(body.data.every((order) => order.status === "shipped")).toBe(true);
  });

  it("answers 401 without a token, 403 to a customer and 400 for an unknown status", async () => {
    const [customer, staff] = await Promise.all([createUser(), createUser("staff")]);
    expect((await callJson("/v1/admin/orders")).status).toBe(401);
    expect((await callJson("/v1/admin/orders", { token: customer.token })).status).toBe(403);
    expect((await callJson("/v1/admin/orders?status=lost", { token: staff.token })).status).toBe(400);
  });
});
