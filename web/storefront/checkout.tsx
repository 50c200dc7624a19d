/** Checkout with the test provider's cards; the attempt and its Idempotency-Key live in checkout-attempt.ts. */
import { useState } from "preact/hooks";
import type { Money } from "../shared/format";
import { navigate } from "../shared/router";
import { Button, Loading, Notice, ProblemNotice, useAction, useLoad } from "../shared/ui";
import { forgetCart, loadCart } from "./cart-state";
import { checkoutMessage, isPriceChanged, payCart } from "./checkout-attempt";
import { rememberPlacedOrder } from "./orders";
import { Totals } from "./totals";

const TEST_CARDS = [
  ["pm_card_visa", "Visa ending 4242 (succeeds)"],
  ["pm_card_chargeDeclined", "Card that is declined"],
  ["pm_card_insufficientFunds", "Card with insufficient funds"],
] as const;

export function CheckoutPage() {
  const cart = useLoad(() => loadCart(), []);
  const [method, setMethod] = useState<string>(TEST_CARDS[0][0]);
  const pay = useAction(async (cartId: string, shown: Money) => {
    let order;
    try {
      order = await payCart(cartId, method, shown);
    } catch (error) {
      // nothing was charged: show the cart's new total, and the shopper confirms it with another press of Pay
      if (isPriceChanged(error)) cart.reload();
      throw error;
    }
    rememberPlacedOrder(order);
    forgetCart();
    navigate(`/orders/${order.id}?placed=1`);
  });
  if (cart.loading) return <Loading label="Loading your cart…" />;
  if (cart.error) return <ProblemNotice error={cart.error} />;
  const current = cart.data;
  if (!current || current.lines.length === 0) return <p>Your cart is empty. <a href="/">Browse the shop</a>.</p>;
  return (
    <section class="stack">
      <h1>Checkout</h1>
      <p>
        {current.lines.reduce((sum, line) => sum + line.quantity, 0)} items for {current.email ?? "—"} · <a href="/cart">Change cart</a>
      </p>
      <Totals priced={current} />
      {!current.readyForCheckout || !current.email ? <Notice kind="error">This cart is not ready: add your email and address in the <a href="/cart">cart</a>.</Notice> : null}
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void pay.run(current.id, current.total);
        }}
      >
        <fieldset>
          <legend>Payment (test cards)</legend>
          <div class="choices">
            {TEST_CARDS.map(([token, label]) => (
              <label class="choice" key={token}>
                <input type="radio" name="card" value={token} checked={method === token} onChange={() => setMethod(token)} disabled={pay.busy} />
                {label}
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <Button type="submit" busy={pay.busy} busyLabel="Paying…" disabled={!current.readyForCheckout || !current.email}>
            Pay now
          </Button>
        </div>
        {pay.error ? <Notice kind="error">{checkoutMessage(pay.error)}</Notice> : null}
      </form>
    </section>
  );
}
