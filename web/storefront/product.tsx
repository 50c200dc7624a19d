/**
 * One product: a variant picker whose availability is live (re-read every 4 s; the catalog's ETag
 * makes an unchanged answer a 304) and "add to cart".
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../shared/api";
import type { Product, Variant } from "../shared/api-types";
import { formatMoney } from "../shared/format";
import { Button, Field, Loading, Notice, ProblemNotice, useAction, useLoad } from "../shared/ui";
import { addItem } from "./cart-state";

const POLL_MS = 4_000;

export function availability(variant: Variant): { text: string; tone: "ok" | "low" | "out" } {
  if (variant.available <= 0) return { text: "Out of stock", tone: "out" };
  if (variant.available <= 5) return { text: `Only ${variant.available} left`, tone: "low" };
  return { text: "In stock", tone: "ok" };
}

function variantLabel(variant: Variant, product: Product) {
  const options = Object.values(variant.options);
  return options.length ? options.join(" / ") : variant.title === product.title ? "Standard" : variant.title;
}

export function ProductPage({ slug }: { slug: string }) {
  const loaded = useLoad(() => api<Product>(`/v1/products/${encodeURIComponent(slug)}`), [slug]);
  const [product, setProduct] = useState<Product | undefined>();
  const [sku, setSku] = useState<string>("");
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState<string | null>(null);

  useEffect(() => {
    if (!loaded.data) return;
    setProduct(loaded.data);
    setSku(
      (chosen) =>
        chosen ||
        (loaded.data?.variants.find((variant) => variant.available > 0) ?? loaded.data?.variants[0])?.sku ||
        "",
    );
  }, [loaded.data]);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== "visible") return;
      api<Product>(`/v1/products/${encodeURIComponent(slug)}`, { cache: "no-cache" }).then(setProduct, () => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [slug]);

  const add = useAction(async () => {
    setAdded(null);
    await addItem(sku, quantity);
    setAdded(sku);
  });

  if (loaded.loading && !product) return <Loading label="Loading product…" />;
  if (loaded.error) return <ProblemNotice error={loaded.error} />;
  if (!product) return null;
  const variant = product.variants.find((item) => item.sku === sku);
  const stock = variant ? availability(variant) : null;

  return (
    <article class="stack product">
      <p>
        <a href="/">← All products</a>
      </p>
      <h1>{product.title}</h1>
      <div class="thumb" aria-hidden="true">
        {product.title.charAt(0)}
      </div>
      <p>{product.description}</p>
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void add.run();
        }}
      >
        <fieldset>
          <legend>Choose a variant</legend>
          <div class="choices">
            {product.variants.map((item) => {
              const state = availability(item);
              return (
                <label class="choice" key={item.sku}>
                  <input
                    type="radio"
                    name="sku"
                    value={item.sku}
                    checked={item.sku === sku}
                    onChange={() => setSku(item.sku)}
                  />
                  <span>
                    {variantLabel(item, product)} · {formatMoney(item.price)} ·{" "}
                    <span class={`badge badge-${state.tone}`}>{state.text}</span>
                  </span>
                </label>
              );
            })}
          </div>
        </fieldset>
        {variant && stock ? (
          <p aria-live="polite" data-testid="availability">
            <span class="price">{formatMoney(variant.price)}</span> — {stock.text}
            {variant.available > 0 ? <span class="muted"> ({variant.available} available)</span> : null}
          </p>
        ) : null}
        <div class="row">
          <Field
            label="Quantity"
            id="quantity"
            type="number"
            min={1}
            max={Math.max(1, Math.min(variant?.available ?? 1, 100))}
            value={quantity}
            onInput={(event) => setQuantity(Math.max(1, Number(event.currentTarget.value) || 1))}
          />
          <Button
            type="submit"
            busy={add.busy}
            busyLabel="Adding…"
            disabled={!variant || variant.available <= 0 || !variant.price}
          >
            Add to cart
          </Button>
        </div>
        {add.error ? <ProblemNotice error={add.error} /> : null}
        {added ? (
          <Notice kind="success">
            Added to your cart. <a href="/cart">View cart</a>
          </Notice>
        ) : null}
      </form>
    </article>
  );
}
