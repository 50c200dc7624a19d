import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { cartDb, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { auditLog } from "../../db/schema";
import type { CartView } from "../cart/cart.schemas";
import type { TaxRuleView } from "./tax-rules.schemas";

type Problem = { status: number; errors?: { path: string }[] };

let admin: TestUser;
beforeAll(async () => {
  await ensurePricingRules();
  admin = await createUser("admin");
});

const create = (body: object) =>
  callJson<TaxRuleView & Problem>("/v1/admin/tax-rules", { method: "POST", body, token: admin.token });

async function cartTo(country: string, region?: string) {
  const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: { country, currency: "EUR" } })).body;
  await callJson(`/v1/carts/${cart.id}/items`, {
    method: "POST",
    body: { sku: await createSellableSku({ eur: 12_100 }), quantity: 1 },
  });
  if (region)
    await callJson(`/v1/carts/${cart.id}`, {
      method: "PATCH",
      body: { shippingAddress: { country, region, postalCode: "1", city: "C", line1: "L" } },
    });
  return cart.id;
}
const read = async (cartId: string) => (await callJson<CartView>(`/v1/carts/${cartId}`)).body;

describe("admin tax rules", () => {
  it("a new rule is what the next reader of a cart sees; editing and deleting it too", async () => {
    const cartId = await cartTo("IT");
    expect((await read(cartId)).tax).toMatchObject({ status: "pending", amount: 0 });
    const created = await create({ country: "IT", name: "IVA", rateBasisPoints: 2200, inclusive: true });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      country: "IT",
      region: null,
      rateBasisPoints: 2200,
      inclusive: true,
      appliesToShipping: true,
    });
    expect((await read(cartId)).tax).toMatchObject({ status: "calculated", amount: 2182 }); // shipping is free above 50 €
    const edited = await callJson<TaxRuleView>(`/v1/admin/tax-rules/${created.body.id}`, {
      method: "PATCH",
      body: { rateBasisPoints: 1000 },
      token: admin.token,
    });
    expect(edited.body.rateBasisPoints).toBe(1000);
    expect((await read(cartId)).tax.amount).toBe(1100);
    expect(
      (await callJson(`/v1/admin/tax-rules/${created.body.id}`, { method: "DELETE", token: admin.token })).status,
    ).toBe(204);
    expect((await read(cartId)).blockers).toEqual(["tax_rule_missing"]);
    const actions = (await cartDb().select().from(auditLog).where(eq(auditLog.subject, created.body.id)))
      .map((row) => row.action)
      .sort();
    expect(actions).toEqual(["tax.rule.created", "tax.rule.deleted", "tax.rule.updated"]);
  });

  it("a 0 bp rule marks a destination tax-free: calculated, zero tax, ready for checkout", async () => {
    const cartId = await cartTo("GB");
    await create({
      country: "GB",
      name: "Zero-rated export",
      rateBasisPoints: 0,
      inclusive: false,
      appliesToShipping: false,
    });
    const cart = await read(cartId);
    expect(cart.tax).toMatchObject({ status: "calculated", amount: 0 });
    expect(cart.blockers).toEqual([]);
  });

  it("taxes a region with its own rule", async () => {
    const created = await create({
      country: "US",
      region: "TX",
      name: "Texas sales tax",
      rateBasisPoints: 625,
      inclusive: false,
    });
    expect(created.body.region).toBe("TX");
    const cart = await read(await cartTo("US", "TX"));
    expect(cart.tax).toMatchObject({ status: "calculated", amount: 756 });
  });

  it("lists rules by country, filtered and paged", async () => {
    await create({ country: "SE", name: "Moms", rateBasisPoints: 2500, inclusive: true });
    const { body } = await callJson<{ data: TaxRuleView[] }>("/v1/admin/tax-rules?country=SE", { token: admin.token });
    expect(body.data.map((rule) => [rule.country, rule.rateBasisPoints])).toEqual([["SE", 2500]]);
    const first = await callJson<{ data: TaxRuleView[]; nextCursor: string }>("/v1/admin/tax-rules?limit=1", {
      token: admin.token,
    });
    const second = await callJson<{ data: TaxRuleView[] }>(
      `/v1/admin/tax-rules?limit=1&cursor=${first.body.nextCursor}`,
      { token: admin.token },
    );
    expect(second.body.data[0]?.id).not.toBe(first.body.data[0]?.id);
  });

  it("refuses a second rule for the same country and region (409)", async () => {
    await create({ country: "FI", name: "ALV", rateBasisPoints: 2550, inclusive: true });
    expect((await create({ country: "FI", name: "again", rateBasisPoints: 2400, inclusive: true })).status).toBe(409);
  });

  it.each([
    ["a negative rate", { country: "PL", name: "VAT", rateBasisPoints: -1, inclusive: true }, "rateBasisPoints"],
    ["a rate above 100 %", { country: "PL", name: "VAT", rateBasisPoints: 10_001, inclusive: true }, "rateBasisPoints"],
    ["a fractional rate", { country: "PL", name: "VAT", rateBasisPoints: 21.5, inclusive: true }, "rateBasisPoints"],
    ["an unknown country", { country: "XX", name: "VAT", rateBasisPoints: 2300, inclusive: true }, "country"],
    [
      "a malformed region",
      { country: "PL", region: "not-a-region", name: "VAT", rateBasisPoints: 2300, inclusive: true },
      "region",
    ],
    ["a missing inclusive flag", { country: "PL", name: "VAT", rateBasisPoints: 2300 }, "inclusive"],
  ])("refuses %s (400)", async (_name, body, path) => {
    const { status, body: problem } = await create(body);
    expect(status).toBe(400);
    expect(problem.errors?.map((error) => error.path)).toContain(path);
  });

  it("answers 404 for an unknown rule and 400 for an empty patch", async () => {
    expect(
      (
        await callJson("/v1/admin/tax-rules/tax_nope", {
          method: "PATCH",
          body: { rateBasisPoints: 1 },
          token: admin.token,
        })
      ).status,
    ).toBe(404);
    expect((await callJson("/v1/admin/tax-rules/tax_nope", { method: "DELETE", token: admin.token })).status).toBe(404);
    expect(
      (await callJson("/v1/admin/tax-rules/tax_nope", { method: "PATCH", body: {}, token: admin.token })).status,
    ).toBe(400);
  });

  it("is for admins: staff get 403", async () => {
    const staff = await createUser("staff");
    expect((await callJson("/v1/admin/tax-rules", { token: staff.token })).status).toBe(403);
  });
});
