import { eq } from "drizzle-orm";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createDatabase } from "../../db/client";
import { orders } from "../../db/schema";
import { insertPaidOrder } from "../orders/orders.fixtures";
import type { OrderView } from "../orders/orders.schemas";
import type { CustomerDetailView, CustomerView } from "./customers.schemas";

type Page<T> = { data: T[]; nextCursor: string | null };

let staff: TestUser;
beforeAll(async () => {
  staff = await createUser("staff");
});

const get = <T>(path: string) => callJson<T & { status: number }>(path, { token: staff.token });

describe("GET /v1/admin/customers", () => {
  it("finds customers by part of the email or name, in any letter case; staff accounts are not customers", async () => {
    const marker = `Zq${Date.now()}`;
    const byName = await createUser("customer", { name: `Ada ${marker} Lovelace` });
    const byEmail = await createUser("customer", { email: `${marker.toLowerCase()}@example.test` });
    await createUser("staff", { name: `Staff ${marker}` });
    const { status, body } = await get<Page<CustomerView>>(`/v1/admin/customers?q=${marker.toUpperCase()}`);
    expect(status).toBe(200);
    expect(body.data.map((customer) => customer.id).sort()).toEqual([byName.id, byEmail.id].sort());
  });

  it("treats % and _ in the search as plain characters", async () => {
    await createUser("customer", { name: "Percent Person" });
    expect((await get<Page<CustomerView>>("/v1/admin/customers?q=%25")).body.data).toEqual([]);
    expect(
      (await get<Page<CustomerView>>("/v1/admin/customers?q=_")).body.data.every(
        (customer) => customer.email.includes("_") || customer.name.includes("_"),
      ),
    ).toBe(true);
  });

  it("pages newest first without skipping or repeating", async () => {
    const marker = `pg${Date.now()}`;
    const made = [];
    for (let index = 0; index < 3; index += 1) made.push(await createUser("customer", { name: `${marker} ${index}` }));
    const first = await get<Page<CustomerView>>(`/v1/admin/customers?q=${marker}&limit=2`);
    const second = await get<Page<CustomerView>>(
      `/v1/admin/customers?q=${marker}&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect([...first.body.data, ...second.body.data].map((customer) => customer.id).sort()).toEqual(
      made.map((user) => user.id).sort(),
    );
    expect(second.body.nextCursor).toBeNull();
  });

  it.each(["limit=0", "cursor=nope", `q=${"x".repeat(101)}`])("refuses %s (400)", async (query) => {
    expect((await get(`/v1/admin/customers?${query}`)).status).toBe(400);
  });
});

describe("GET /v1/admin/customers/{id}", () => {
  it("shows profile, saved addresses, orders and lifetime value per currency (cancelled and refunded left out)", async () => {
    const customer = await createUser("customer", { name: "Grace" });
    await callJson("/v1/me/addresses", {
      method: "POST",
      token: customer.token,
      body: {
        label: "Home",
        address: { line1: "1 Main St", postalCode: "10001", city: "New York", region: "NY", country: "US" },
      },
    });
    const paid = await insertPaidOrder({ userId: customer.id, quantity: 2 });
    const shipped = await insertPaidOrder({ userId: customer.id, quantity: 1, status: "shipped" });
    await insertPaidOrder({ userId: customer.id, quantity: 3, status: "cancelled" });
    const inUsd = await insertPaidOrder({ userId: customer.id, quantity: 1 });
    await createDatabase(env.DB).update(orders).set({ currency: "USD" }).where(eq(orders.id, inUsd.id));
    const { status, body } = await get<CustomerDetailView>(`/v1/admin/customers/${customer.id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: customer.id,
      name: "Grace",
      email: customer.email,
      role: "customer",
      orderCount: 4,
      addresses: [{ label: "Home", address: { city: "New York" } }],
    });
    expect(body.orders).toHaveLength(4);
    expect(body.lifetimeValue).toEqual([
      { currency: "EUR", amount: paid.total + shipped.total, orders: 2 },
      { currency: "USD", amount: inUsd.total, orders: 1 },
    ]);
  });

  it("counts lifetime value net of partial refunds", async () => {
    const customer = await createUser("customer");
    const order = await insertPaidOrder({ userId: customer.id, quantity: 2 });
    const staff = await createUser("staff");
    expect(
      (
        await callJson(`/v1/admin/orders/${order.id}/refunds`, {
          method: "POST",
          token: staff.token,
          body: { amount: 250, reason: "goodwill", restock: false },
        })
      ).status,
    ).toBe(201);
    const { body } = await get<CustomerDetailView>(`/v1/admin/customers/${customer.id}`);
    expect(body.lifetimeValue).toEqual([{ currency: "EUR", amount: order.total - 250, orders: 1 }]);
  });

  it("answers 404 for an unknown id", async () => {
    expect((await get("/v1/admin/customers/usr_nope")).status).toBe(404);
  });
});

describe("GET /v1/admin/orders filters", () => {
  it("filters by customer, status and creation time range", async () => {
    const customer = await createUser();
    const day = 24 * 60 * 60 * 1000;
    const base = Date.UTC(2026, 5, 10);
    const early = await insertPaidOrder({ userId: customer.id, createdAt: base - day });
    const inside = await insertPaidOrder({ userId: customer.id, createdAt: base });
    const shipped = await insertPaidOrder({ userId: customer.id, createdAt: base + day / 2, status: "shipped" });
    await insertPaidOrder({ userId: null, createdAt: base });
    const ids = async (query: string) =>
      (await get<Page<OrderView>>(`/v1/admin/orders?customerId=${customer.id}&${query}`)).body.data.map(
        (order) => order.id,
      );
    expect(await ids("")).toEqual([shipped.id, inside.id, early.id]);
    expect(await ids("status=shipped")).toEqual([shipped.id]);
    expect(await ids(`from=${new Date(base).toISOString()}&to=${new Date(base + day).toISOString()}`)).toEqual([
      shipped.id,
      inside.id,
    ]);
    expect(await ids(`to=${new Date(base).toISOString()}`)).toEqual([early.id]);
  });

  it.each([
    "from=yesterday",
    "to=2026-13-01T00:00:00Z",
    "from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z",
    `customerId=${"x".repeat(65)}`,
  ])("refuses %s (400)", async (query) => {
    expect((await get(`/v1/admin/orders?${query}`)).status).toBe(400);
  });
});
