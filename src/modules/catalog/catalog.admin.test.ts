import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { call, callJson } from "../../../test/helpers/http";
import { auditLog, outboxEvents } from "../../db/schema";
import type { AdminProductView } from "./catalog.admin.schemas";
import { createCategory, createProduct, testDb, uniqueSuffix } from "./catalog.fixtures";
import type { ProductView } from "./catalog.schemas";

let staff: TestUser;
beforeAll(async () => {
  staff = await createUser("staff");
});

function newProductBody(overrides: Record<string, unknown> = {}) {
  const suffix = uniqueSuffix();
  return {
    slug: `new-${suffix}`,
    title: `New ${suffix}`,
    variants: [
      {
        sku: `NEW-${suffix}-S`,
        title: "Small",
        options: { size: "S" },
        prices: [
          { currency: "EUR", amount: 1500 },
          { currency: "USD", amount: 1700 },
        ],
      },
    ],
    ...overrides,
  };
}

const post = (body: unknown, token = staff.token) =>
  callJson<AdminProductView & { status: number | string; extensions?: unknown }>("/v1/admin/products", {
    method: "POST",
    body,
    token,
  });
const patch = (id: string, body: unknown) =>
  callJson<AdminProductView>(`/v1/admin/products/${id}`, { method: "PATCH", body, token: staff.token });
const tierOf = (response: Response) =>
  /cache;[^,]*desc="([a-z]+)"/.exec(response.headers.get("Server-Timing") ?? "")?.[1];

describe("admin catalog writes: access", () => {
  it("answers 401 without a token and 403 for a customer", async () => {
    expect((await call("/v1/admin/products", { method: "POST", body: newProductBody() })).status).toBe(401);
    const customer = await createUser("customer");
    expect((await post(newProductBody(), customer.token)).status).toBe(403);
    expect(
      (await call("/v1/admin/categories", { method: "POST", body: { slug: "x", name: "x" }, token: customer.token }))
        .status,
    ).toBe(403);
  });
});

describe("POST /v1/admin/products", () => {
  it("creates a draft product with variants, prices and categories, audited and announced in the same batch", async () => {
    const category = await createCategory();
    const body = newProductBody({ categoryIds: [category.id], images: ["https://img.test/a.jpg"] });
    const { status, body: created } = await post(body);
    expect(status).toBe(201);
    expect(created).toMatchObject({
      slug: body.slug,
      status: "draft",
      categoryIds: [category.id],
      images: ["https://img.test/a.jpg"],
    });
    expect(created.variants[0]).toMatchObject({
      sku: body.variants[0]?.sku,
      position: 0,
      status: "active",
      prices: [
        { amount: 1500, currency: "EUR" },
        { amount: 1700, currency: "USD" },
      ],
    });
    const db = testDb();
    const audit = await db.select().from(auditLog).where(eq(auditLog.subject, created.id));
    expect(audit).toEqual([expect.objectContaining({ action: "catalog.product.created", actorId: staff.id })]);
    const events = await db.select().from(outboxEvents).where(eq(outboxEvents.type, "catalog.changed"));
    expect(events.some((event) => event.data.subject === created.id)).toBe(true);
    // a draft is not public
    expect((await call(`/v1/products/${body.slug}`)).status).toBe(404);
  });

  it("answers 409 for a taken slug or SKU and writes nothing", async () => {
    const existing = await createProduct();
    const takenSlug = await post(newProductBody({ slug: existing.slug }));
    expect(takenSlug.status).toBe(409);
    const body = newProductBody();
    const takenSku = await post({ ...body, variants: [{ ...body.variants[0], sku: existing.skus[0] }] });
    expect(takenSku.status).toBe(409);
    expect(takenSku.body).toMatchObject({ skus: [existing.skus[0]] });
    expect(
      (
        await call(`/v1/products/${body.slug}`, {
          headers: { "Motor-Cache": "bypass" },
          token: (await createUser("staff")).token,
        })
      ).status,
    ).toBe(404);
  });

  it("answers 422 naming unknown category ids", async () => {
    const { status, body } = await post(newProductBody({ categoryIds: ["cat_does_not_exist"] }));
    expect(status).toBe(422);
    expect(body).toMatchObject({ categoryIds: ["cat_does_not_exist"] });
  });

  it.each([
    [
      "a negative price",
      (b: ReturnType<typeof newProductBody>) => ({
        ...b,
        variants: [{ ...b.variants[0], prices: [{ currency: "EUR", amount: -1 }] }],
      }),
    ],
    [
      "a fractional price",
      (b: ReturnType<typeof newProductBody>) => ({
        ...b,
        variants: [{ ...b.variants[0], prices: [{ currency: "EUR", amount: 10.5 }] }],
      }),
    ],
    [
      "a price as a string",
      (b: ReturnType<typeof newProductBody>) => ({
        ...b,
        variants: [{ ...b.variants[0], prices: [{ currency: "EUR", amount: "100" }] }],
      }),
    ],
    [
      "an unsupported currency",
      (b: ReturnType<typeof newProductBody>) => ({
        ...b,
        variants: [{ ...b.variants[0], prices: [{ currency: "GBP", amount: 100 }] }],
      }),
    ],
    [
      "two prices in one currency",
      (b: ReturnType<typeof newProductBody>) => ({
        ...b,
        variants: [
          {
            ...b.variants[0],
            prices: [
              { currency: "EUR", amount: 1 },
              { currency: "EUR", amount: 2 },
            ],
          },
        ],
      }),
    ],
    [
      "the same SKU twice",
      (b: ReturnType<typeof newProductBody>) => ({ ...b, variants: [b.variants[0], b.variants[0]] }),
    ],
    ["no variants", (b: ReturnType<typeof newProductBody>) => ({ ...b, variants: [] })],
    ["an unknown field", (b: ReturnType<typeof newProductBody>) => ({ ...b, price: 1 })],
    ["an invalid slug", (b: ReturnType<typeof newProductBody>) => ({ ...b, slug: "Not A Slug" })],
    ["a non-http image", (b: ReturnType<typeof newProductBody>) => ({ ...b, images: ["javascript:alert(1)"] })],
    ["an unknown status", (b: ReturnType<typeof newProductBody>) => ({ ...b, status: "published" })],
    ["a huge title", (b: ReturnType<typeof newProductBody>) => ({ ...b, title: "x".repeat(3000) })],
  ])("rejects %s with 400", async (_case, mutate) => {
    const { status } = await post(mutate(newProductBody()));
    expect(status).toBe(400);
  });

  it("rejects malformed JSON with 400", async () => {
    const response = await call("/v1/admin/products", { method: "POST", body: "{ not json", token: staff.token });
    expect(response.status).toBe(400);
  });
});

describe("PATCH /v1/admin/products/{id}", () => {
  it("publishes, renames and archives; public reads see each change at once, cache included", async () => {
    const { body: created } = await post(newProductBody());
    expect((await patch(created.id, { status: "active" })).status).toBe(200);
    const path = `/v1/products/${created.slug}`;
    await call(path);
    expect(tierOf(await call(path))).toBe("memory");
    expect((await patch(created.id, { title: "Renamed" })).body.title).toBe("Renamed");
    const after = await call(path);
    expect([tierOf(after), ((await after.json()) as ProductView).title]).toEqual(["miss", "Renamed"]);
    expect((await patch(created.id, { status: "archived" })).body.status).toBe("archived");
    expect((await call(path)).status).toBe(404);
  });

  it("replaces the category set and invalidates category listings", async () => {
    const [first, second] = [await createCategory(), await createCategory()];
    const product = await createProduct({ categoryId: first.id });
    expect((await callJson<{ data: unknown[] }>(`/v1/products?category=${second.slug}`)).body.data).toHaveLength(0);
    expect((await patch(product.id, { categoryIds: [second.id] })).body.categoryIds).toEqual([second.id]);
    expect((await callJson<{ data: unknown[] }>(`/v1/products?category=${second.slug}`)).body.data).toHaveLength(1);
  });

  it("answers 404, 409, 422 and 400 for unknown products, taken slugs, unknown categories and bad patches", async () => {
    const [a, b] = [await createProduct(), await createProduct()];
    expect((await patch("prod_nope", { title: "x" })).status).toBe(404);
    expect((await patch(a.id, { slug: b.slug })).status).toBe(409);
    expect((await patch(a.id, { slug: a.slug })).status).toBe(200);
    expect((await patch(a.id, { categoryIds: ["cat_nope"] })).status).toBe(422);
    expect((await patch(a.id, {})).status).toBe(400);
    expect((await patch(a.id, { status: "deleted" })).status).toBe(400);
    expect((await patch(a.id, { id: "prod_other" })).status).toBe(400);
  });
});

describe("PUT /v1/admin/products/{id}/variants/{sku}", () => {
  it("creates (201) then replaces (200) a variant and its prices; an archived variant leaves the public view", async () => {
    const product = await createProduct();
    const sku = `PUT-${uniqueSuffix()}`.toUpperCase();
    const url = `/v1/admin/products/${product.id}/variants/${sku}`;
    const created = await callJson<AdminProductView>(url, {
      method: "PUT",
      token: staff.token,
      body: { title: "Blue", options: { colour: "blue" }, prices: [{ currency: "EUR", amount: 900 }] },
    });
    expect(created.status).toBe(201);
    expect(created.body.variants.map((variant) => variant.sku)).toEqual([product.skus[0], sku]);
    const replaced = await callJson<AdminProductView>(url, {
      method: "PUT",
      token: staff.token,
      body: { title: "Blue", prices: [{ currency: "USD", amount: 1000 }] },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.variants[1]?.prices).toEqual([{ amount: 1000, currency: "USD" }]);
    await callJson(url, { method: "PUT", token: staff.token, body: { title: "Blue", status: "archived", prices: [] } });
    const publicView = await callJson<ProductView>(`/v1/products/${product.slug}`);
    expect(publicView.body.variants.map((variant) => variant.sku)).toEqual([product.skus[0]]);
  });

  it("answers 409 for a SKU of another product, 404 for an unknown product and 400 for a bad SKU", async () => {
    const [a, b] = [await createProduct(), await createProduct()];
    const body = { title: "x", prices: [] };
    expect(
      (await callJson(`/v1/admin/products/${a.id}/variants/${b.skus[0]}`, { method: "PUT", token: staff.token, body }))
        .status,
    ).toBe(409);
    expect(
      (await callJson(`/v1/admin/products/prod_nope/variants/NEW-SKU`, { method: "PUT", token: staff.token, body }))
        .status,
    ).toBe(404);
    expect(
      (
        await callJson(`/v1/admin/products/${a.id}/variants/${encodeURIComponent("bad sku!")}`, {
          method: "PUT",
          token: staff.token,
          body,
        })
      ).status,
    ).toBe(400);
  });
});

describe("POST /v1/admin/categories", () => {
  it("creates a category under a parent; duplicate slug is 409 and an unknown parent 422", async () => {
    const parent = await createCategory();
    const slug = `child-${uniqueSuffix()}`;
    const created = await callJson<{ id: string; parentId: string }>("/v1/admin/categories", {
      method: "POST",
      token: staff.token,
      body: { slug, name: "Child", parentId: parent.id },
    });
    expect(created.status).toBe(201);
    expect(created.body.parentId).toBe(parent.id);
    const categories = await callJson<{ data: { slug: string }[] }>("/v1/categories");
    expect(categories.body.data.map((category) => category.slug)).toContain(slug);
    expect(
      (await callJson("/v1/admin/categories", { method: "POST", token: staff.token, body: { slug, name: "Again" } }))
        .status,
    ).toBe(409);
    expect(
      (
        await callJson("/v1/admin/categories", {
          method: "POST",
          token: staff.token,
          body: { slug: `o-${uniqueSuffix()}`, name: "Orphan", parentId: "cat_nope" },
        })
      ).status,
    ).toBe(422);
  });
});
