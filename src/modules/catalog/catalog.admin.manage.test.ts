import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { auditLog, categories, productCategories } from "../../db/schema";
import type { AdminProductView } from "./catalog.admin.schemas";
import { createCategory, createProduct, testDb } from "./catalog.fixtures";
import type { CategoryView, ProductView } from "./catalog.schemas";

type Page = { data: AdminProductView[]; nextCursor: string | null };
type Problem = { status: number; linkedProducts?: number };

let staff: TestUser;
beforeAll(async () => {
  staff = await createUser("staff");
});

const adminList = (query: string) => callJson<Page>(`/v1/admin/products?${query}`, { token: staff.token });
const patchCategory = (id: string, body: object) =>
  callJson<CategoryView & Problem>(`/v1/admin/categories/${id}`, { method: "PATCH", body, token: staff.token });
const deleteCategory = (id: string, query = "") =>
  callJson<Problem>(`/v1/admin/categories/${id}${query}`, { method: "DELETE", token: staff.token });
const publicList = (slug: string) => callJson<{ data: ProductView[] }>(`/v1/products?category=${slug}`);

describe("GET /v1/admin/products", () => {
  it("lists drafts and archived products too, filtered by status and searched, newest first, page by page", async () => {
    const title = `Zebrawood ${Date.now()}`;
    const [draft, archived, active] = await Promise.all([
      createProduct({ title: `${title} draft`, status: "draft", createdAt: 3000 }),
      createProduct({ title: `${title} archived`, status: "archived", createdAt: 2000 }),
      createProduct({
        title: `${title} active`,
        status: "active",
        createdAt: 1000,
        variants: [{ eur: 1500, usd: 1700 }],
      }),
    ]);
    const q = encodeURIComponent(title);
    const first = await adminList(`q=${q}&limit=2`);
    const second = await adminList(`q=${q}&limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.data, ...second.body.data].map((product) => product.id)).toEqual([
      draft.id,
      archived.id,
      active.id,
    ]);
    expect(second.body.data[0]).toMatchObject({
      status: "active",
      variants: [
        {
          sku: active.skus[0],
          prices: [
            { currency: "EUR", amount: 1500 },
            { currency: "USD", amount: 1700 },
          ],
        },
      ],
    });
    expect((await adminList(`q=${q}&status=archived`)).body.data.map((product) => product.id)).toEqual([archived.id]);
  });

  it.each(["status=deleted", "limit=0", "cursor=garbage", `q=${"x".repeat(201)}`])(
    "refuses %s (400)",
    async (query) => {
      expect((await adminList(query)).status).toBe(400);
    },
  );
});

describe("PATCH /v1/admin/categories/{id}", () => {
  it("renames and moves a category; the public tree and filters follow at once", async () => {
    const [from, to] = await Promise.all([createCategory(), createCategory()]);
    const moved = await createCategory({ parentId: from.id });
    const product = await createProduct({ categoryId: moved.id });
    const answer = await patchCategory(moved.id, { name: "Renamed", parentId: to.id });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: moved.id, name: "Renamed", parentId: to.id });
    expect((await publicList(to.slug)).body.data.map((entry) => entry.id)).toEqual([product.id]);
    expect((await publicList(from.slug)).body.data).toEqual([]);
    const audited = await testDb().select().from(auditLog).where(eq(auditLog.subject, moved.id));
    expect(audited.map((row) => [row.action, row.actorId])).toEqual([["catalog.category.updated", staff.id]]);
  });

  it("refuses a move under itself or under a descendant (409): the tree stays a tree", async () => {
    const root = await createCategory();
    const child = await createCategory({ parentId: root.id });
    const grandchild = await createCategory({ parentId: child.id });
    expect((await patchCategory(root.id, { parentId: root.id })).status).toBe(409);
    expect((await patchCategory(root.id, { parentId: grandchild.id })).status).toBe(409);
    expect((await testDb().select().from(categories).where(eq(categories.id, root.id)).get())?.parentId).toBeNull();
    expect((await patchCategory(grandchild.id, { parentId: null })).body.parentId).toBeNull();
  });

  it("answers 404 for an unknown category, 422 for an unknown parent, 409 for a taken slug, 400 for a bad patch", async () => {
    const [a, b] = await Promise.all([createCategory(), createCategory()]);
    expect((await patchCategory("cat_nope", { name: "x" })).status).toBe(404);
    expect((await patchCategory(a.id, { parentId: "cat_nope" })).status).toBe(422);
    expect((await patchCategory(a.id, { slug: b.slug })).status).toBe(409);
    expect((await patchCategory(a.id, {})).status).toBe(400);
    expect((await patchCategory(a.id, { slug: "Not A Slug" })).status).toBe(400);
  });
});

describe("DELETE /v1/admin/categories/{id}", () => {
  it("refuses while products are linked (409), unless asked to unlink", async () => {
    const category = await createCategory();
    const product = await createProduct({ categoryId: category.id });
    const refused = await deleteCategory(category.id);
    expect([refused.status, refused.body.linkedProducts]).toEqual([409, 1]);
    expect((await deleteCategory(category.id, "?unlink=true")).status).toBe(204);
    expect(await testDb().select().from(productCategories).where(eq(productCategories.productId, product.id))).toEqual(
      [],
    );
    expect((await deleteCategory(category.id)).status).toBe(404);
  });

  it("moves its children up to its parent", async () => {
    const parent = await createCategory();
    const middle = await createCategory({ parentId: parent.id });
    const child = await createCategory({ parentId: middle.id });
    expect((await deleteCategory(middle.id)).status).toBe(204);
    expect((await testDb().select().from(categories).where(eq(categories.id, child.id)).get())?.parentId).toBe(
      parent.id,
    );
  });

  it("refuses a malformed unlink flag (400)", async () => {
    const category = await createCategory();
    expect((await deleteCategory(category.id, "?unlink=yes")).status).toBe(400);
  });
});
