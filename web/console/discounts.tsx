/** Discount codes (GET/POST /v1/admin/discounts, PATCH /v1/admin/discounts/{code}). */
import { api, type Page } from "../shared/api";
import type { Discount } from "../shared/api-types";
import { formatDate, formatMoney, parseMoney } from "../shared/format";
import { Button, Field, Loading, ProblemNotice, formValues, useAction, useLoad } from "../shared/ui";

const describe = (discount: Discount) =>
  discount.type === "percentage"
    ? `${discount.value}% off`
    : `${formatMoney({ amount: discount.value, currency: discount.currency ?? "EUR" })} off`;

function DiscountRow({ discount, onDone }: { discount: Discount; onDone: () => void }) {
  const end = useAction(async () => {
    await api(`/v1/admin/discounts/${encodeURIComponent(discount.code)}`, {
      method: "PATCH",
      json: { endsAt: new Date().toISOString() },
    });
    onDone();
  });
  const ended = discount.endsAt ? Date.parse(discount.endsAt) <= Date.now() : false;
  return (
    <tr>
      <td>{discount.code}</td>
      <td>{describe(discount)}</td>
      <td>{discount.usageLimit ?? "∞"}</td>
      <td>{discount.endsAt ? formatDate(discount.endsAt) : "—"}</td>
      <td>
        {ended ? (
          "Ended"
        ) : (
          <Button
            kind="secondary"
            busy={end.busy}
            onClick={() => void end.run()}
            aria-label={`End ${discount.code} now`}
          >
            End now
          </Button>
        )}
        {end.error ? <ProblemNotice error={end.error} /> : null}
      </td>
    </tr>
  );
}

function NewDiscount({ onDone }: { onDone: () => void }) {
  const create = useAction(async (values: Record<string, string>) => {
    const percentage = values.type === "percentage";
    await api("/v1/admin/discounts", {
      method: "POST",
      json: {
        code: values.code?.trim().toUpperCase(),
        type: values.type,
        value: percentage ? Number(values.value) : parseMoney(values.value ?? "", "EUR"),
        ...(percentage ? {} : { currency: "EUR" }),
        ...(values.usageLimit ? { usageLimit: Number(values.usageLimit) } : {}),
      },
    });
    onDone();
  });
  return (
    <form class="stack" aria-labelledby="new-discount" onSubmit={(event) => void create.run(formValues(event))}>
      <h2 id="new-discount">New discount code</h2>
      <div class="row">
        <Field label="Code" id="code" required />
        <div class="field">
          <label for="type">Type</label>
          <select id="type" name="type">
            <option value="percentage">Percentage</option>
            <option value="fixed">Fixed amount (EUR)</option>
          </select>
        </div>
        <Field label="Value (% or EUR)" id="value" type="number" min={0} step="0.01" required />
        <Field label="Usage limit (optional)" id="usageLimit" type="number" min={1} />
      </div>
      <div>
        <Button type="submit" busy={create.busy} busyLabel="Creating…">
          Create code
        </Button>
      </div>
      {create.error ? <ProblemNotice error={create.error} what="Managing discount codes" /> : null}
    </form>
  );
}

export function DiscountsPage() {
  const list = useLoad(() => api<Page<Discount>>("/v1/admin/discounts?limit=100", { cache: "no-store" }), []);
  return (
    <section class="stack">
      <h1>Discount codes</h1>
      {list.loading ? <Loading label="Loading discount codes…" /> : null}
      {list.error ? <ProblemNotice error={list.error} what="Managing discount codes" /> : null}
      {list.data ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Discount codes</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Discount</th>
                <th scope="col">Usage limit</th>
                <th scope="col">Ends</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((discount) => (
                <DiscountRow key={discount.code} discount={discount} onDone={list.reload} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.error ? null : <NewDiscount onDone={list.reload} />}
    </section>
  );
}
