/** Totals exactly as the server computed them (cart or order): never re-added in the browser. */
import type { Order } from "../shared/api-types";
import { formatMoney } from "../shared/format";

type Priced = Pick<Order, "subtotal" | "discount" | "discountCode" | "shipping" | "tax" | "total">;

export function Totals({ priced }: { priced: Priced }) {
  return (
    <dl class="totals" data-testid="totals">
      <dt>Subtotal</dt>
      <dd>{formatMoney(priced.subtotal)}</dd>
      {priced.discount.amount > 0 ? (
        <>
          <dt>Discount{priced.discountCode ? ` (${priced.discountCode})` : ""}</dt>
          <dd>−{formatMoney(priced.discount)}</dd>
        </>
      ) : null}
      <dt>Shipping</dt>
      <dd>{formatMoney(priced.shipping)}</dd>
      <dt>{priced.tax.inclusive ? "Tax (included)" : "Tax"}</dt>
      <dd>{formatMoney(priced.tax)}</dd>
      <dt class="grand">Total</dt>
      <dd class="grand" data-testid="total">
        {formatMoney(priced.total)}
      </dd>
    </dl>
  );
}
