/** The catalog: search, the category tree, price sort and keyset "load more" over GET /v1/products. */
import { api, query, type Page } from "../shared/api";
import type { Category, Product } from "../shared/api-types";
import { formatMoney } from "../shared/format";
import { navigate, type Location } from "../shared/router";
import { LoadMore, usePages } from "../shared/paging";
import { Button, Loading, ProblemNotice, useLoad } from "../shared/ui";

const SORTS = [
  ["newest", "Newest"],
  ["price_asc", "Price: low to high"],
  ["price_desc", "Price: high to low"],
  ["title", "Name"],
] as const;

function CategoryTree({
  categories,
  parentId,
  active,
}: {
  categories: Category[];
  parentId: string | null;
  active: string;
}) {
  const children = categories
    .filter((category) => category.parentId === parentId)
    .sort((a, b) => a.position - b.position);
  if (children.length === 0) return null;
  return (
    <ul class={parentId ? undefined : "tree"}>
      {children.map((category) => (
        <li key={category.id}>
          <a
            href={`/${query({ category: category.slug })}`}
            aria-current={category.slug === active ? "true" : undefined}
          >
            {category.name}
          </a>
          <CategoryTree categories={categories} parentId={category.id} active={active} />
        </li>
      ))}
    </ul>
  );
}

function fromPrice(product: Product) {
  const prices = product.variants.flatMap((variant) => (variant.price ? [variant.price] : []));
  if (prices.length === 0) return "Not available";
  const cheapest = prices.reduce((low, price) => (price.amount < low.amount ? price : low));
  return `${prices.length > 1 ? "from " : ""}${formatMoney(cheapest)}`;
}

export function ProductCard({ product }: { product: Product }) {
  const inStock = product.variants.some((variant) => variant.available > 0);
  return (
    <li class="card product-card">
      <div class="thumb" aria-hidden="true">
        {product.title.charAt(0)}
      </div>
      <a href={`/products/${encodeURIComponent(product.slug)}`}>{product.title}</a>
      <span class="price">{fromPrice(product)}</span>
      {inStock ? null : <span class="badge badge-out">Out of stock</span>}
    </li>
  );
}

export function Catalog({ where }: { where: Location }) {
  const q = where.query.get("q") ?? "";
  const category = where.query.get("category") ?? "";
  const sort = where.query.get("sort") ?? "newest";
  const categories = useLoad(() => api<{ data: Category[] }>("/v1/categories"), []);
  const pages = usePages(
    (cursor) => api<Page<Product>>(`/v1/products${query({ q, category, sort, limit: 12, cursor })}`),
    [q, category, sort],
  );
  const { first, items: products } = pages;
  const go = (changes: Record<string, string>) => navigate(`/${query({ q, category, sort, ...changes })}`);
  const activeName = categories.data?.data.find((item) => item.slug === category)?.name;

  return (
    <div class="layout">
      <nav aria-label="Categories">
        <h2>Categories</h2>
        <ul class="tree">
          <li>
            <a href={`/${query({ q, sort })}`} aria-current={category ? undefined : "true"}>
              All products
            </a>
          </li>
        </ul>
        {categories.loading ? <Loading label="Loading categories…" /> : null}
        {categories.error ? <ProblemNotice error={categories.error} /> : null}
        {categories.data ? <CategoryTree categories={categories.data.data} parentId={null} active={category} /> : null}
      </nav>
      <section aria-labelledby="catalog-title">
        <h1 id="catalog-title">{activeName ?? (q ? `Results for “${q}”` : "All products")}</h1>
        <div class="row">
          <form
            role="search"
            class="row"
            onSubmit={(event) => {
              event.preventDefault();
              go({ q: String(new FormData(event.currentTarget).get("q") ?? "").trim() });
            }}
          >
            <div class="field">
              <label for="q">Search products</label>
              <input id="q" name="q" type="search" defaultValue={q} key={q} />
            </div>
            <Button type="submit" kind="secondary">
              Search
            </Button>
          </form>
          <div class="field">
            <label for="sort">Sort by</label>
            <select id="sort" value={sort} onChange={(event) => go({ sort: event.currentTarget.value })}>
              {SORTS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </div>
        {first.loading ? <Loading label="Loading products…" /> : null}
        {first.error ? <ProblemNotice error={first.error} /> : null}
        {!first.loading && first.data && products.length === 0 ? <p>No products match.</p> : null}
        <ul class="grid" aria-label="Products" aria-busy={first.loading}>
          {products.map((product) => (
            <ProductCard key={product.id} product={product} />
          ))}
        </ul>
        <LoadMore pages={pages} />
      </section>
    </div>
  );
}
