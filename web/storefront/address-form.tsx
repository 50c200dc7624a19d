/** Contact email and shipping address of the cart (PATCH /v1/carts/{id}); the server validates. */
import { useState } from "preact/hooks";
import type { ApiError } from "../shared/api";
import type { Cart } from "../shared/api-types";
import { Button, Field, Notice, ProblemNotice, formValues, useAction } from "../shared/ui";
import { updateCart } from "./cart-state";

const COUNTRIES = [
  ["ES", "Spain"],
  ["PT", "Portugal"],
  ["FR", "France"],
  ["DE", "Germany"],
  ["US", "United States"],
  ["GB", "United Kingdom"],
  ["IT", "Italy"],
] as const;

function fieldError(error: unknown, path: string) {
  return (error as ApiError | undefined)?.problem?.errors?.find((item) => item.path.endsWith(path))?.message;
}

export function AddressForm({ cart, email }: { cart: Cart; email?: string }) {
  const address = cart.shippingAddress;
  const [country, setCountry] = useState(address?.country ?? "ES");
  const [saved, setSaved] = useState(false);
  const save = useAction(async (values: Record<string, string>) => {
    setSaved(false);
    const shippingAddress: Record<string, string> = {
      country: values.country ?? "",
      postalCode: values.postalCode ?? "",
      city: values.city ?? "",
      line1: values.line1 ?? "",
    };
    if (values.region) shippingAddress.region = values.region.toUpperCase();
    await updateCart({ email: values.email, shippingAddress });
    setSaved(true);
  });
  const error = save.error;
  return (
    <form class="stack" aria-labelledby="address-title" onSubmit={(event) => void save.run(formValues(event))}>
      <h2 id="address-title">Contact and delivery</h2>
      <Field
        label="Email"
        id="email"
        type="email"
        autocomplete="email"
        required
        defaultValue={cart.email ?? email ?? ""}
        error={fieldError(error, "email")}
      />
      <div class="field">
        <label for="country">Country</label>
        <select
          id="country"
          name="country"
          value={country}
          onChange={(event) => setCountry(event.currentTarget.value)}
          autocomplete="country"
        >
          {COUNTRIES.map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </div>
      {country === "US" ? (
        <Field
          label="State (code, e.g. CA)"
          id="region"
          autocomplete="address-level1"
          required
          defaultValue={address?.region ?? ""}
          error={fieldError(error, "region")}
        />
      ) : null}
      <Field
        label="Address"
        id="line1"
        autocomplete="address-line1"
        required
        defaultValue={address?.line1 ?? ""}
        error={fieldError(error, "line1")}
      />
      <div class="row">
        <Field
          label="Postal code"
          id="postalCode"
          autocomplete="postal-code"
          required
          defaultValue={address?.postalCode ?? ""}
          error={fieldError(error, "postalCode")}
        />
        <Field
          label="City"
          id="city"
          autocomplete="address-level2"
          required
          defaultValue={address?.city ?? ""}
          error={fieldError(error, "city")}
        />
      </div>
      <div>
        <Button type="submit" kind="secondary" busy={save.busy} busyLabel="Saving…">
          Save address
        </Button>
      </div>
      {error ? <ProblemNotice error={error} /> : null}
      {saved ? <Notice kind="success">Address saved; totals updated.</Notice> : null}
    </form>
  );
}
