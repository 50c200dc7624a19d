/** The cart: quantities, discount code, delivery, shipping options and the server's totals. */
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../shared/api";
import type { Cart, CartLine } from "../shared/api-types";
import { formatMoney, humanize } from "../shared/format";
import { Button, Loading, Notice, ProblemNotice, formValues, useAction, useLoad, useSession } from "../shared/ui";
import { AddressForm } from "./address-form";
import { applyDiscount, loadCart, removeDiscount, removeItem, setQuantity, useCart } from "./cart-state";
import { ShippingOptions } from "./shipping-options";
import { Totals } from "./totals";

const BLOCKERS: Record<string, string> = {
  empty_cart: "Your cart is empty.",
  country_required: "Add a delivery address.",
  region_required: "Add the state of your US address.",
  shipping_unavailable: "We cannot ship this cart to that address.",
  shipping_option_unavailable: "The chosen shipping option no longer fits this cart; pick another.",
  sku_unavailable: "Some items are no longer sold; remove them to continue.",
  email_required: "Add your email address.",
};

function LineRow({ line }: { line: CartLine }) {
  const update = useAction((quantity: number) =>
    quantity > 0 ? setQuantity(line.sku, quantity) : removeItem(line.sku),
  );
  // What the shopper is typing stays on screen until it is sent: a background refresh of the cart
  // re-renders the row, and must not put the old quantity back under their cursor.
  const [draft, setDraft] = useState<string | null>(null);
  const commit = async (value: string) => {
    try {
      await update.run(Number(value) || 0);
    } finally {
      setDraft(null);
    }
  };
  const id = `qty-${line.sku}`;
  return (
    <tr aria-busy={update.busy}>
      <td>
        {line.title}
        <br />
        <small class="muted">{line.sku}</small>
        <br />
        <Button
          kind="secondary"
          busy={update.busy}
          aria-label={`Remove ${line.title}`}
          onClick={() => void update.run(0)}
        >
          Remove
        </Button>
        {update.error ? <ProblemNotice error={update.error} /> : null}
      </td>
      <td class="num hide-narrow">{formatMoney(line.unitPrice)}</td>
      <td>
        <label class="visually-hidden" for={id}>
          Quantity of {line.title}
        </label>
        <input
          id={id}
          type="number"
          min={0}
          max={100}
          value={draft ?? line.quantity}
          disabled={update.busy}
          class="qty"
          onInput={(event) => setDraft(event.currentTarget.value)}
          onChange={(event) => void commit(event.currentTarget.value)}
        />
      </td>
      <td class="num">{formatMoney(line.total)}</td>
    </tr>
  );
}

function DiscountForm({ cart }: { cart: Cart }) {
  const apply = useAction((code: string) => applyDiscount(code));
  const remove = useAction(() => removeDiscount());
  const reason =
    apply.error instanceof ApiError && typeof apply.error.problem.reason === "string"
      ? apply.error.problem.reason
      : null;
  if (cart.discountCode) {
    return (
      <p class="row">
        Discount code <strong>{cart.discountCode}</strong> applied.
        <Button kind="secondary" busy={remove.busy} busyLabel="Removing…" onClick={() => void remove.run()}>
          Remove code
        </Button>
      </p>
    );
  }
  return (
    <form class="row" onSubmit={(event) => void apply.run(formValues(event).code?.trim() ?? "")}>
      <div class="field">
        <label for="code">Discount code</label>
        <input id="code" name="code" required autocomplete="off" />
      </div>
      <Button type="submit" kind="secondary" busy={apply.busy} busyLabel="Applying…">
        Apply
      </Button>
      {apply.error ? (
        reason ? (
          <Notice kind="error">That code cannot be used: {humanize(reason)}.</Notice>
        ) : (
          <ProblemNotice error={apply.error} />
        )
      ) : null}
    </form>
  );
}

export function CartPage() {
  const session = useSession();
  const loading = useLoad(() => loadCart(), []);
  const cart = useCart();
  useEffect(() => {
    document.title = "Cart · Motor shop";
  }, []);
  if (loading.loading && !cart) return <Loading label="Loading your cart…" />;
  if (loading.error) return <ProblemNotice error={loading.error} />;
  if (!cart || cart.lines.length === 0) {
    return (
      <section>
        <h1>Your cart</h1>
        <p>
          Your cart is empty. <a href="/">Browse the shop</a>.
        </p>
      </section>
    );
  }
  return (
    <section class="stack">
      <h1>Your cart</h1>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Items in your cart</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col" class="num hide-narrow">
                Price
              </th>
              <th scope="col">Quantity</th>
              <th scope="col" class="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {cart.lines.map((line) => (
              <LineRow key={line.sku} line={line} />
            ))}
          </tbody>
        </table>
      </div>
      {cart.notices.map((notice) => (
        <Notice key={notice}>{humanize(notice)}</Notice>
      ))}
      <DiscountForm cart={cart} />
      <AddressForm cart={cart} email={session?.user.email} />
      <ShippingOptions cart={cart} />
      <h2>Summary</h2>
      <Totals priced={cart} />
      {cart.blockers.length ? (
        <ul>
          {cart.blockers.map((blocker) => (
            <li key={blocker}>{BLOCKERS[blocker] ?? humanize(blocker)}</li>
          ))}
        </ul>
      ) : null}
      <p>
        {cart.readyForCheckout && cart.email ? (
          <a class="btn btn-primary" href="/checkout">
            Go to checkout
          </a>
        ) : (
          <span class="muted">Complete the steps above to check out.</span>
        )}
      </p>
    </section>
  );
}
