/**
 * Checkout with the test provider's cards; the attempt and its Idempotency-Key live in
 * checkout-attempt.ts, the trip to the bank and back (3-D Secure) and another card after a failed
 * authentication in checkout-action.ts.
 */
import { useEffect, useState } from "preact/hooks";
import type { Order } from "../shared/api-types";
import type { Money } from "../shared/format";
import { navigate } from "../shared/router";
import { Button, Loading, Notice, ProblemNotice, useAction, useLoad } from "../shared/ui";
import { forgetCart, loadCart } from "./cart-state";
import { finishCheckout, goToBank, NotYetConfirmed, payNow, pendingCheckout, type Pending } from "./checkout-action";
import { checkoutMessage, isPriceChanged, isWaiting } from "./checkout-attempt";
import { rememberPlacedOrder } from "./orders";
import { Totals } from "./totals";

const TEST_CARDS = [
  ["pm_card_visa", "Visa ending 4242 (succeeds)"],
  ["pm_card_chargeDeclined", "Card that is declined"],
  ["pm_card_insufficientFunds", "Card with insufficient funds"],
  ["pm_card_threeDSecureRequired", "Card that asks your bank to confirm (3-D Secure)"],
  ["pm_card_threeDSecureFail", "Card whose bank confirmation fails (3-D Secure)"],
] as const;

function showOrder(order: Order, options: { replace?: boolean } = {}) {
  rememberPlacedOrder(order);
  forgetCart();
  navigate(`/orders/${order.id}?placed=1`, options);
}

/** Back from the bank before it decided (or Motor was unreachable): nothing more is charged, the shopper chooses what next. */
function NotConfirmed({ pending, check }: { pending: Pending; check: () => void }) {
  return (
    <Notice>
      <p>Your bank has not confirmed the payment yet. Nothing is charged until it does.</p>
      <p class="row">
        <Button onClick={check}>Check again</Button>
        <Button kind="secondary" onClick={() => location.assign(pending.url)}>
          Continue at your bank
        </Button>
      </p>
    </Notice>
  );
}

/** `returned`: the bank sent the shopper back here (checkout-action.ts); the checkout they left is settled first. */
export function CheckoutPage({ returned = false }: { returned?: boolean }) {
  const cart = useLoad(() => loadCart(), []);
  const pending = returned ? pendingCheckout() : null;
  // the card the shopper went to the bank with: Pay now with it again replays that checkout (same key) instead of starting a second
  const [method, setMethod] = useState<string>(() => pending?.paymentMethod ?? TEST_CARDS[0][0]);
  const confirm = useAction(async (settling: Pending) => showOrder(await finishCheckout(settling), { replace: true }));
  const pay = useAction(async (cartId: string, shown: Money) => {
    confirm.clearError();
    let answer;
    try {
      // on the checkout whose authentication failed, while it waits for another card; else a new checkout
      answer = await payNow(cartId, method, shown);
    } catch (error) {
      // nothing was charged: show the cart's new total, and the shopper confirms it with another press of Pay
      if (isPriceChanged(error)) cart.reload();
      throw error;
    }
    if (isWaiting(answer)) goToBank(answer, cartId, method);
    else showOrder(answer);
  });
  // the first settling shows no form: a shopper back from the bank must not pay again before it is known
  const [settling, setSettling] = useState(pending !== null);
  useEffect(() => {
    if (pending) void confirm.run(pending).then(() => setSettling(false));
  }, []);
  if (settling || confirm.busy) return <Loading label="Confirming your payment with your bank…" />;
  if (cart.loading) return <Loading label="Loading your cart…" />;
  if (cart.error) return <ProblemNotice error={cart.error} />;
  const current = cart.data;
  if (!current || current.lines.length === 0)
    return (
      <p>
        Your cart is empty. <a href="/">Browse the shop</a>.
      </p>
    );
  const error = pay.error ?? confirm.error;
  return (
    <section class="stack">
      <h1>Checkout</h1>
      <p>
        {current.lines.reduce((sum, line) => sum + line.quantity, 0)} items for {current.email ?? "—"} ·{" "}
        <a href="/cart">Change cart</a>
      </p>
      <Totals priced={current} />
      {!current.readyForCheckout || !current.email ? (
        <Notice kind="error">
          This cart is not ready: add your email and address in the <a href="/cart">cart</a>.
        </Notice>
      ) : null}
      {pending && error instanceof NotYetConfirmed ? (
        <NotConfirmed pending={pending} check={() => void confirm.run(pending)} />
      ) : null}
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
                <input
                  type="radio"
                  name="card"
                  value={token}
                  checked={method === token}
                  onChange={() => setMethod(token)}
                  disabled={pay.busy}
                />
                {label}
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <Button
            type="submit"
            busy={pay.busy}
            busyLabel="Paying…"
            disabled={!current.readyForCheckout || !current.email}
          >
            Pay now
          </Button>
        </div>
        {error && !(error instanceof NotYetConfirmed) ? <Notice kind="error">{checkoutMessage(error)}</Notice> : null}
      </form>
    </section>
  );
}
