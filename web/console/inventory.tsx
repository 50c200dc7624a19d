/** Inventory: find products, read each SKU's on-hand/reserved/available, and set on-hand. */
import { useState } from "preact/hooks";
import { api, query, type Page } from "../shared/api";
import type { Product, StockLevel } from "../shared/api-types";
import type { Location } from "../shared/router";
import { navigate } from "../shared/router";
import { Button, Loading, Notice, ProblemNotice, formValues, useAction, useLoad } from "../shared/ui";

function StockRow({ sku, title }: { sku: string; title: string }) {
  const stock = useLoad(
    () => api<StockLevel>(`/v1/admin/inventory/${encodeURIComponent(sku)}`, { cache: "no-store" }),
    [sku],
  );
  const [saved, setSaved] = useState(false);
  const save = useAction(async (onHand: number) => {
    setSaved(false);
    await api(`/v1/admin/inventory/${encodeURIComponent(sku)}`, { method: "PUT", json: { onHand } });
    setSaved(true);
    stock.reload();
  });
  const id = `onhand-${sku}`;
  return (
    <tr aria-busy={stock.loading || save.busy}>
      <td>
        {sku}
        <br />
        <small class="muted">{title}</small>
      </td>
      {stock.data ? (
        <>
          <td>
            <form class="row" onSubmit={(event) => void save.run(Number(formValues(event)[id]))}>
              <label class="visually-hidden" for={id}>
                On hand of {sku}
              </label>
              <input
                id={id}
                name={id}
                class="qty"
                type="number"
                min={0}
                required
                defaultValue={String(stock.data.onHand)}
                key={stock.data.onHand}
              />
              <Button
                type="submit"
                kind="secondary"
                busy={save.busy}
                busyLabel="Saving…"
                aria-label={`Save on hand of ${sku}`}
              >
                Save
              </Button>
            </form>
            {save.error ? <ProblemNotice error={save.error} /> : null}
            {saved ? <Notice kind="success">Saved.</Notice> : null}
          </td>
          <td class="num">{stock.data.reserved}</td>
          <td class="num" data-testid={`available-${sku}`}>
            {stock.data.available}
          </td>
        </>
      ) : (
        <td colSpan={3}>{stock.error ? <ProblemNotice error={stock.error} /> : <Loading />}</td>
      )}
    </tr>
  );
}

export function InventoryPage({ where }: { where: Location }) {
  const q = where.query.get("q") ?? "";
  const products = useLoad(
    () => (q ? api<Page<Product>>(`/v1/products${query({ q, limit: 10 })}`) : Promise.resolve(null)),
    [q],
  );
  return (
    <section class="stack">
      <h1>Inventory</h1>
      <form
        role="search"
        class="row"
        onSubmit={(event) => navigate(`/admin/inventory${query({ q: formValues(event).q?.trim() })}`)}
      >
        <div class="field">
          <label for="q">Find a product</label>
          <input id="q" name="q" type="search" defaultValue={q} />
        </div>
        <Button type="submit" kind="secondary">
          Find
        </Button>
      </form>
      {!q ? <p class="muted">Search for a product to see and edit its stock.</p> : null}
      {products.loading ? <Loading label="Searching…" /> : null}
      {products.error ? <ProblemNotice error={products.error} /> : null}
      {products.data && products.data.data.length === 0 ? <p>No product matches.</p> : null}
      {products.data?.data.map((product) => (
        <div key={product.id} class="table-wrap">
          <h2>{product.title}</h2>
          <table>
            <caption class="visually-hidden">Stock of {product.title}</caption>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">On hand</th>
                <th scope="col" class="num">
                  Reserved
                </th>
                <th scope="col" class="num">
                  Available
                </th>
              </tr>
            </thead>
            <tbody>
              {product.variants.map((variant) => (
                <StockRow key={variant.sku} sku={variant.sku} title={variant.title} />
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
