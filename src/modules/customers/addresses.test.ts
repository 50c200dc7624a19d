import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import type { CartView } from "../cart/cart.schemas";
import { MAX_SAVED_ADDRESSES, type SavedAddressView } from "./customers.schemas";

type Problem = { status: number; errors?: { path: string }[] };
const home = {
  name: "Ana García",
  line1: "Calle Mayor 1",
  line2: "3º B",
  postalCode: "28001",
  city: "Madrid",
  country: "ES",
  phone: "+34 912 345 678",
};
const save = (token: string, body: object) =>
  callJson<SavedAddressView & Problem>("/v1/me/addresses", { method: "POST", body, token });

describe("/v1/me/addresses", () => {
  it("saves, lists and deletes my addresses; a saved address fits a cart as is", async () => {
    const me = await createUser();
    const saved = await save(me.token, { label: "Home", address: home });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ label: "Home", address: { ...home, phone: "+34912345678" } });
    const listed = await callJson<{ data: SavedAddressView[] }>("/v1/me/addresses", { token: me.token });
    expect(listed.body.data.map((entry) => entry.id)).toEqual([saved.body.id]);
    const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: {}, token: me.token })).body;
    const patched = await callJson<CartView>(`/v1/carts/${cart.id}`, {
      method: "PATCH",
      body: { shippingAddress: saved.body.address },
      token: me.token,
    });
    expect(patched.status).toBe(200);
    expect((await callJson(`/v1/me/addresses/${saved.body.id}`, { method: "DELETE", token: me.token })).status).toBe(
      204,
    );
    expect((await callJson<{ data: unknown[] }>("/v1/me/addresses", { token: me.token })).body.data).toEqual([]);
  });

  it("keeps each customer's addresses to themselves: another's is a 404 to delete and absent from my list", async () => {
    const [owner, other] = await Promise.all([createUser(), createUser()]);
    const saved = await save(owner.token, { address: home });
    expect((await callJson(`/v1/me/addresses/${saved.body.id}`, { method: "DELETE", token: other.token })).status).toBe(
      404,
    );
    expect((await callJson<{ data: unknown[] }>("/v1/me/addresses", { token: other.token })).body.data).toEqual([]);
    expect((await callJson<{ data: unknown[] }>("/v1/me/addresses", { token: owner.token })).body.data).toHaveLength(1);
  });

  it("needs a signed-in caller (401)", async () => {
    expect((await callJson("/v1/me/addresses")).status).toBe(401);
    expect((await callJson("/v1/me/addresses", { method: "POST", body: { address: home } })).status).toBe(401);
  });

  it(`stops at ${MAX_SAVED_ADDRESSES} addresses (422), even when saved concurrently`, async () => {
    const me = await createUser();
    const answers = await Promise.all(
      Array.from({ length: MAX_SAVED_ADDRESSES + 3 }, (_, index) =>
        save(me.token, { label: `#${index}`, address: home }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(MAX_SAVED_ADDRESSES);
    expect(answers.filter((answer) => answer.status === 422)).toHaveLength(3);
  });

  it.each([
    ["a phone number of 200 characters", { address: { ...home, phone: `+${"4".repeat(199)}` } }, "address.phone"],
    ["a phone number without the country code", { address: { ...home, phone: "0912345678" } }, "address.phone"],
    ["a missing line1", { address: { country: "ES", postalCode: "1", city: "Madrid" } }, "address.line1"],
    ["an unknown field", { address: home, isDefault: true }, "(root)"],
    ["a huge label", { label: "x".repeat(51), address: home }, "label"],
  ])("refuses %s (400)", async (_name, body, path) => {
    const me = await createUser();
    const { status, body: problem } = await save(me.token, body);
    expect(status).toBe(400);
    expect(problem.errors?.map((error) => error.path)).toContain(path);
  });
});
