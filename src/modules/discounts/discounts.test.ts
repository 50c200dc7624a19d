import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { cartDb, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { auditLog, discountCodes } from "../../db/schema";
import { newId } from "../../platform/ids";
import { postCheckout, readyCartOverHttp } from "../checkout/checkout.fixtures";
import type { CartView } from "../cart/cart.schemas";
import type { DiscountView } from "./discounts.schemas";

type Problem = { status: number; errors?: { path: string }[]; detail?: string };
type Page = { data: DiscountView[]; nextCursor: string | null };

let staff: TestUser;
beforeAll(async () => {
  await ensurePricingRules();
  staff = await createUser("staff");
});

const uniqueCode = () => `T${newId("t", 10).slice(2)}`.toUpperCase();
const create = (body: object, token = staff.token) =>
  callJson<DiscountView & Problem>("/v1/admin/discounts", { method: "POST", body, token });
const patch = (code: string, body: object) =>
  callJson<DiscountView & Problem>(`/v1/admin/discounts/${code}`, { method: "PATCH", body, token: staff.token });

describe("POST /v1/admin/discounts", () => {
  it("creates a percentage code (value in percent) and a fixed one (minor units, with a currency)", async () => {
    const code = uniqueCode();
    const percentage = await create({
      code: code.toLowerCase(),
      type: "percentage",
      value: 12.5,
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: "2030-01-01T00:00:00Z",
      usageLimit: 10,
      perCustomerLimit: 1,
    });
    expect(percentage.status).toBe(201);
    expect(percentage.body).toMatchObject({
      code,
      type: "percentage",
      value: 12.5,
      currency: null,
      usageLimit: 10,
      perCustomerLimit: 1,
      used: 0,
      active: true,
      startsAt: "2026-01-01T00:00:00.000Z",
    });
    expect(
      (await cartDb().select().from(discountCodes).where(eq(discountCodes.code, code)).get())?.percentBasisPoints,
    ).toBe(1250);
    const fixed = await create({ code: uniqueCode(), type: "fixed", value: 500, currency: "EUR", minSubtotal: 3000 });
    expect(fixed.body).toMatchObject({ type: "fixed", value: 500, currency: "EUR", minSubtotal: 3000 });
  });

  it("audits the creation with the staff member as actor", async () => {
    const code = uniqueCode();
    await create({ code, type: "percentage", value: 5 });
    const rows = await cartDb().select().from(auditLog).where(eq(auditLog.subject, code));
    expect(rows.map((row) => [row.action, row.actorId])).toEqual([["discounts.created", staff.id]]);
  });

  it("refuses a duplicate code, whatever its letter case (409)", async () => {
    const code = uniqueCode();
    expect((await create({ code, type: "percentage", value: 10 })).status).toBe(201);
    expect((await create({ code: code.toLowerCase(), type: "fixed", value: 100, currency: "EUR" })).status).toBe(409);
  });

  it.each([
    ["a negative value", { type: "percentage", value: -5 }, "value"],
    ["more than 100 %", { type: "percentage", value: 100.5 }, "value"],
    ["a percentage with three decimals", { type: "percentage", value: 10.125 }, "value"],
    ["a fixed amount in fractions of a cent", { type: "fixed", value: 9.5, currency: "EUR" }, "value"],
    ["a fixed code without a currency", { type: "fixed", value: 500 }, "currency"],
    [
      "an end before its start",
      { type: "percentage", value: 10, startsAt: "2027-01-02T00:00:00Z", endsAt: "2027-01-01T00:00:00Z" },
      "endsAt",
    ],
    ["a malformed date", { type: "percentage", value: 10, endsAt: "next tuesday" }, "endsAt"],
    ["an unknown type", { type: "bogo", value: 10 }, "type"],
    ["an unknown field", { type: "percentage", value: 10, stackable: true }, "(root)"],
    ["a zero usage limit", { type: "percentage", value: 10, usageLimit: 0 }, "usageLimit"],
  ])("refuses %s (400 naming the field)", async (_name, body, path) => {
    const { status, body: problem } = await create({ code: uniqueCode(), ...body });
    expect(status).toBe(400);
    expect(problem.errors?.map((error) => error.path)).toContain(path);
  });

  it("refuses a hostile code (400)", async () => {
    expect((await create({ code: "<script>", type: "percentage", value: 10 })).status).toBe(400);
    expect((await create({ code: "X".repeat(65), type: "percentage", value: 10 })).status).toBe(400);
  });
});

describe("GET and PATCH /v1/admin/discounts", () => {
  it("lists codes with their usage counts, page by page", async () => {
    const codes = [uniqueCode(), uniqueCode(), uniqueCode()];
    for (const code of codes) await create({ code, type: "percentage", value: 10 });
    await cartDb().update(discountCodes).set({ used: 4 }).where(eq(discountCodes.code, codes[0]!));
    const seen: DiscountView[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const { body }: { body: Page } = await callJson<Page>(
        `/v1/admin/discounts?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        { token: staff.token },
      );
      seen.push(...body.data);
      cursor = body.nextCursor;
    }
    expect(seen.find((discount) => discount.code === codes[0])?.used).toBe(4);
    expect(seen.filter((discount) => codes.includes(discount.code))).toHaveLength(3);
  });

  it("deactivates a code: a cart holding it stops discounting, with a notice", async () => {
    const code = uniqueCode();
    await create({ code, type: "percentage", value: 10 });
    const cartId = await readyCartOverHttp([{ sku: await createSellableSku({ eur: 2000 }), quantity: 1 }]);
    expect(
      (await callJson<CartView>(`/v1/carts/${cartId}/discount`, { method: "POST", body: { code } })).body.discount
        .amount,
    ).toBe(200);
    const deactivated = await patch(code, { active: false });
    expect(deactivated.body.active).toBe(false);
    const cart = (await callJson<CartView>(`/v1/carts/${cartId}`)).body;
    expect([cart.discount.amount, cart.notices]).toEqual([0, ["discount_inactive"]]);
  });

  it("edits value and dates; the merged code must still be valid (400), a limit below the uses is 409, an unknown code 404", async () => {
    const code = uniqueCode();
    await create({ code, type: "percentage", value: 10, startsAt: "2026-01-01T00:00:00Z" });
    expect((await patch(code, { value: 20, endsAt: "2031-01-01T00:00:00Z" })).body).toMatchObject({
      value: 20,
      endsAt: "2031-01-01T00:00:00.000Z",
    });
    expect((await patch(code, { endsAt: "2025-01-01T00:00:00Z" })).status).toBe(400);
    expect((await patch(code, { value: 150 })).status).toBe(400);
    await cartDb().update(discountCodes).set({ used: 3 }).where(eq(discountCodes.code, code));
    expect((await patch(code, { usageLimit: 2 })).status).toBe(409);
    expect((await patch("NO-SUCH-CODE", { active: false })).status).toBe(404);
    expect((await patch(code, {})).status).toBe(400);
    expect((await patch(code, { type: "fixed" })).status).toBe(400);
  });
});

describe("limits under concurrent checkouts", () => {
  it("sells the last use of a code once: of concurrent checkouts with it, one gets the order, the others a 409", async () => {
    const code = uniqueCode();
    await create({ code, type: "percentage", value: 10, usageLimit: 1 });
    const sku = await createSellableSku({ eur: 2000, onHand: 20 });
    const carts = await Promise.all(
      [0, 1, 2].map(async () => {
        const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
        expect((await callJson(`/v1/carts/${cartId}/discount`, { method: "POST", body: { code } })).status).toBe(200);
        return cartId;
      }),
    );
    const answers = await Promise.all(carts.map((cartId) => postCheckout(cartId)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
    expect((await cartDb().select().from(discountCodes).where(eq(discountCodes.code, code)).get())?.used).toBe(1);
  });
});
