/** Products, drafts included (GET /v1/admin/products?status=): create a draft, publish, archive. */
import { api, isMissingEndpoint, query, type Page } from "../shared/api";
import type { AdminProduct, Product } from "../shared/api-types";
import { humanize, parseMoney } from "../shared/format";
import { navigate, type Location } from "../shared/router";
import { Button, Field, Loading, Notice, ProblemNotice, formValues, useAction, useLoad } from "../shared/ui";

const STATUSES = ["draft", "active", "archived"];

/** Drafts included, or the published catalog (which has no `status`) from a server without the admin list. */
async function listProducts(
  status: string,
  q: string,
): Promise<{ page: Page<AdminProduct | Product>; drafts: boolean }> {
  try {
    return {
      page: await api<Page<AdminProduct>>(`/v1/admin/products${query({ status, q, limit: 50 })}`, {
        cache: "no-store",
      }),
      drafts: true,
    };
  } catch (error) {
    if (!isMissingEndpoint(error)) throw error;
    return { page: await api<Page<Product>>(`/v1/products${query({ q, limit: 50 })}`), drafts: false };
  }
}

function ProductRow({ product, onDone }: { product: AdminProduct | Product; onDone: () => void }) {
  const status = "status" in product ? product.status : undefined;
  const set = useAction(async (to: string) => {
    await api(`/v1/admin/products/${product.id}`, { method: "PATCH", json: { status: to } });
    onDone();
  });
  return (
    <tr>
      <td>
        {product.title}
        <br />
        <small class="muted">{product.slug}</small>
      </td>
      <td>{status ? humanize(status) : "—"}</td>
      <td>{product.variants.map((variant) => variant.sku).join(", ")}</td>
      <td>
        <div class="row">
          {status !== "active" ? (
            <Button
              kind="secondary"
              busy={set.busy}
              onClick={() => void set.run("active")}
              aria-label={`Publish ${product.title}`}
            >
              Publish
            </Button>
          ) : null}
          {status !== "archived" ? (
            <Button
              kind="secondary"
              busy={set.busy}
              onClick={() => void set.run("archived")}
              aria-label={`Archive ${product.title}`}
            >
              Archive
            </Button>
          ) : null}
        </div>
        {set.error ? <ProblemNotice error={set.error} /> : null}
      </td>
    </tr>
  );
}

function NewDraft({ onDone }: { onDone: () => void }) {
  const create = useAction(async (values: Record<string, string>) => {
    await api("/v1/admin/products", {
      method: "POST",
      json: {
        slug: values.slug,
        title: values.title,
        status: "draft",
        variants: [
          {
            sku: values.sku,
            title: values.title,
            prices: [{ currency: "EUR", amount: parseMoney(values.price ?? "", "EUR") }],
          },
        ],
      },
    });
    onDone();
  });
  return (
    <form class="stack" aria-labelledby="new-product" onSubmit={(event) => void create.run(formValues(event))}>
      <h2 id="new-product">New draft product</h2>
      <div class="row">
        <Field label="Title" id="title" required />
        <Field label="Slug" id="slug" required hint="lower-case-words" />
        <Field label="SKU" id="sku" required />
        <Field label="Price (EUR)" id="price" type="number" min={0} step="0.01" required />
      </div>
      <div>
        <Button type="submit" busy={create.busy} busyLabel="Creating…">
          Create draft
        </Button>
      </div>
      {create.error ? <ProblemNotice error={create.error} /> : null}
    </form>
  );
}

export function ProductsPage({ where }: { where: Location }) {
  const status = where.query.get("status") ?? "";
  const list = useLoad(() => listProducts(status, ""), [status]);
  return (
    <section class="stack">
      <h1>Products</h1>
      <div class="field">
        <label for="product-status">Status</label>
        <select
          id="product-status"
          value={status}
          onChange={(event) => navigate(`/admin/products${query({ status: event.currentTarget.value })}`)}
        >
          <option value="">All</option>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {humanize(value)}
            </option>
          ))}
        </select>
      </div>
      {list.loading ? <Loading label="Loading products…" /> : null}
      {list.error ? <ProblemNotice error={list.error} /> : null}
      {list.data && !list.data.drafts ? (
        <Notice>Listing drafts is not available on this server yet; showing the published catalog.</Notice>
      ) : null}
      {list.data ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Products</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Status</th>
                <th scope="col">SKUs</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.page.data.map((product) => (
                <ProductRow key={product.id} product={product} onDone={list.reload} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <NewDraft onDone={list.reload} />
    </section>
  );
}
