import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { cartDb, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { carts } from "../../db/schema";
import { mergeLines } from "./cart-claim";
import type { CartView } from "./cart.schemas";

const create = async (body: object, token?: string) =>
  (await callJson<CartView>("/v1/carts", { method: "POST", body, token })).body;
const add = (id: string, sku: string, quantity: number, token?: string) =>
  callJson(`/v1/carts/${id}/items`, { method: "POST", body: { sku, quantity }, token });
const claim = (id: string, token?: string) => callJson<CartView>(`/v1/carts/${id}/claim`, { method: "POST", token });

beforeAll(ensurePricingRules);

describe("claiming an anonymous cart", () => {
  it("needs a signed-in caller (401)", async () => {
    const cart = await create({});
    expect((await claim(cart.id)).status).toBe(401);
  });

  it("adopts the cart: the owner sees it, anonymous callers no longer do", async () => {
    const user = await createUser();
    const cart = await create({ country: "ES" });
    const { status, body } = await claim(cart.id, user.token);
    expect(status).toBe(200);
    expect(body.email).toBe(user.email);
    expect((await callJson(`/v1/carts/${cart.id}`)).status).toBe(404);
    expect((await callJson(`/v1/carts/${cart.id}`, { token: user.token })).status).toBe(200);
    expect((await claim(cart.id, user.token)).status).toBe(200); // claiming your own cart again is a no-op
  });

  it("cannot take someone else's cart (404)", async () => {
    const [owner, thief] = await Promise.all([createUser(), createUser()]);
    const cart = await create({}, owner.token);
    expect((await claim(cart.id, thief.token)).status).toBe(404);
  });

  it("merges the user's open cart into the claimed one: quantities add up to the stock, the claimed cart wins", async () => {
    const user = await createUser();
    const [shared, onlyOld, onlyNew] = await Promise.all([
      createSellableSku({ onHand: 4 }),
      createSellableSku(),
      createSellableSku(),
    ]);
    const old = await create({ country: "DE" }, user.token);
    await add(old.id, shared, 3, user.token);
    await add(old.id, onlyOld, 2, user.token);
    const anonymous = await create({ country: "ES" });
    await add(anonymous.id, shared, 2);
    await add(anonymous.id, onlyNew, 1);
    await callJson(`/v1/carts/${anonymous.id}`, { method: "PATCH", body: { email: "guest@example.test" } });

    const { status, body } = await claim(anonymous.id, user.token);
    expect(status).toBe(200);
    const quantities = Object.fromEntries(body.lines.map((line) => [line.sku, line.quantity]));
    expect(quantities).toEqual({ [shared]: 4, [onlyOld]: 2, [onlyNew]: 1 });
    expect(body).toMatchObject({ id: anonymous.id, email: "guest@example.test", country: "ES" });
    expect(await cartDb().select().from(carts).where(eq(carts.id, old.id))).toEqual([]);
  });
});

describe("mergeLines", () => {
  const stock = (entries: [string, number][]) => new Map(entries);
  it.each([
    {
      name: "sums quantities",
      claimed: [{ sku: "A", quantity: 1 }],
      previous: [{ sku: "A", quantity: 2 }],
      available: stock([["A", 10]]),
      changes: [{ sku: "A", quantity: 3 }],
    },
    {
      name: "caps at stock",
      claimed: [{ sku: "A", quantity: 1 }],
      previous: [{ sku: "A", quantity: 5 }],
      available: stock([["A", 3]]),
      changes: [{ sku: "A", quantity: 3 }],
    },
    {
      name: "caps at 100",
      claimed: [{ sku: "A", quantity: 60 }],
      previous: [{ sku: "A", quantity: 60 }],
      available: stock([["A", 500]]),
      changes: [{ sku: "A", quantity: 100 }],
    },
    {
      name: "never lowers the claimed line",
      claimed: [{ sku: "A", quantity: 5 }],
      previous: [{ sku: "A", quantity: 1 }],
      available: stock([["A", 0]]),
      changes: [],
    },
    {
      name: "drops lines without stock",
      claimed: [],
      previous: [{ sku: "B", quantity: 1 }],
      available: stock([]),
      changes: [],
    },
    {
      name: "brings over new lines",
      claimed: [],
      previous: [{ sku: "B", quantity: 2 }],
      available: stock([["B", 9]]),
      changes: [{ sku: "B", quantity: 2 }],
    },
  ])("$name", ({ claimed, previous, available, changes }) => {
    expect(mergeLines(claimed, previous, available)).toEqual(changes);
  });

  it("keeps at most 50 distinct SKUs", () => {
    const claimed = Array.from({ length: 50 }, (_, i) => ({ sku: `C${i}`, quantity: 1 }));
    expect(mergeLines(claimed, [{ sku: "NEW", quantity: 1 }], stock([["NEW", 5]]))).toEqual([]);
  });
});
