/** Shipping options for the cart's address (GET /v1/carts/{id}/shipping-options); picking one re-prices the cart. */
import { useState } from "preact/hooks";
import { api, isMissingEndpoint } from "../shared/api";
import type { Cart, ShippingOption } from "../shared/api-types";
import { formatMoney } from "../shared/format";
import { Loading, Notice, ProblemNotice, useAction, useLoad } from "../shared/ui";
import { updateCart } from "./cart-state";

export function ShippingOptions({ cart }: { cart: Cart }) {
  const address = cart.shippingAddress;
  const key = address
    ? `${address.country}/${address.region ?? ""}/${cart.lines.map((line) => `${line.sku}x${line.quantity}`).join(",")}`
    : "";
  const options = useLoad(
    () =>
      address
        ? api<{ data: ShippingOption[] }>(`/v1/carts/${encodeURIComponent(cart.id)}/shipping-options`)
        : Promise.resolve({ data: [] }),
    [cart.id, key],
  );
  // The option being saved shows as chosen at once: a controlled radio that snapped back to the old
  // choice until the server answered would tell the shopper (and assistive tech) their click was lost.
  const [pending, setPending] = useState<string | null>(null);
  const choose = useAction(async (id: string) => {
    setPending(id);
    try {
      await updateCart({ shippingOptionId: id });
    } finally {
      setPending(null);
    }
  });
  if (!address) return <p class="muted">Add a delivery address to see the shipping options.</p>;
  if (options.loading) return <Loading label="Loading shipping options…" />;
  if (isMissingEndpoint(options.error))
    return <Notice>Choosing a shipping option is not available on this server yet; the standard rate applies.</Notice>;
  if (options.error) return <ProblemNotice error={options.error} />;
  const list = options.data?.data ?? [];
  const chosen = pending ?? cart.shippingOptionId ?? cart.shippingOption?.id ?? null;
  return (
    <fieldset aria-busy={choose.busy}>
      <legend>Shipping</legend>
      {list.length === 0 ? <p>No shipping option reaches this address.</p> : null}
      <div class="choices">
        {list.map((option) => (
          <label class="choice" key={option.id}>
            <input
              type="radio"
              name="shipping"
              value={option.id}
              checked={option.id === chosen}
              disabled={choose.busy}
              onChange={() => void choose.run(option.id)}
            />
            <span>
              {option.name} · {formatMoney(option.amount)} · up to {option.estimatedDays} days
            </span>
          </label>
        ))}
      </div>
      {choose.busy ? <Loading label="Updating totals…" /> : null}
      {choose.error ? <ProblemNotice error={choose.error} /> : null}
    </fieldset>
  );
}
