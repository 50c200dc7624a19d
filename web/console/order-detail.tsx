/**
 * One order for staff: lines and totals, payments/refunds/fulfilments/timeline (GET
 * /v1/admin/orders/{id}), status transitions, fulfilment with tracking, and refunds. A server
 * without the detail endpoint falls back to the plain order and says what is missing.
 */
import { useState } from "preact/hooks";
import { ApiError, api, isMissingEndpoint } from "../shared/api";
import { formatDate, formatMoney, humanize, type Money } from "../shared/format";
import { Button, Field, Loading, Notice, ProblemNotice, formValues, useAction, useLoad } from "../shared/ui";
import { NEXT_STATUSES } from "./permissions";

interface OrderDetail {
  id: string;
  status: string;
  email: string;
  currency: string;
  lines: { sku: string; title: string; quantity: number; total: Money; refundedQuantity?: number }[];
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  createdAt: string;
  shippingAddress?: Record<string, string> | null;
  payments?: Record<string, unknown>[];
  refunds?: Record<string, unknown>[];
  fulfillments?: Record<string, unknown>[];
  timeline?: { at: string; from: string | null; to: string; actor: string; reason: string | null }[];
}

async function loadDetail(id: string): Promise<{ order: OrderDetail; full: boolean }> {
  try {
    return { order: await api<OrderDetail>(`/v1/admin/orders/${id}`), full: true };
  } catch (error) {
    if (!isMissingEndpoint(error)) throw error;
    return { order: await api<OrderDetail>(`/v1/orders/${id}`), full: false };
  }
}

/** A key per form attempt: a retried submit never refunds or ships twice. */
const newKey = () => crypto.randomUUID();

/**
 * Sends a money or parcel form under its attempt's key. The key is kept for a retry after a
 * network error, a 5xx or a 409 (the first attempt may still be running or may have acted), and
 * renewed after a success or another 4xx: that answer is final, and the corrected form is a new
 * request (the old key would replay the refusal, or be refused as "used with another request").
 */
async function sendOnce(key: string, renew: () => void, send: (key: string) => Promise<unknown>): Promise<void> {
  try {
    await send(key);
    renew();
  } catch (error) {
    if (error instanceof ApiError && error.status < 500 && error.status !== 409) renew();
    throw error;
  }
}

function Records({ title, rows }: { title: string; rows: Record<string, unknown>[] | undefined }) {
  if (!rows) return null;
  return (
    <>
      <h2>{title}</h2>
      {rows.length === 0 ? <p class="muted">None.</p> : null}
      <ul>
        {rows.map((row, index) => (
          <li key={String(row.id ?? index)}>
            {Object.entries(row)
              .filter(([, value]) => value !== null && typeof value !== "object")
              .map(([key, value]) => `${key}: ${String(value)}`)
              .join(" · ")}
            {row.amount && typeof row.amount === "object" ? ` · ${formatMoney(row.amount as Money)}` : ""}
          </li>
        ))}
      </ul>
    </>
  );
}

function Transitions({ order, onDone }: { order: OrderDetail; onDone: () => void }) {
  const move = useAction(async (to: string) => {
    await api(`/v1/admin/orders/${order.id}/transition`, { method: "POST", json: { to } });
    onDone();
  });
  const next = NEXT_STATUSES[order.status] ?? [];
  return (
    <>
      <h2>Status</h2>
      {next.length === 0 ? <p>This order is final.</p> : null}
      <div class="row">
        {next.map((to) => (
          <Button key={to} kind={to === "cancelled" || to === "refunded" ? "danger" : "secondary"} busy={move.busy} onClick={() => void move.run(to)}>
            Mark {humanize(to).toLowerCase()}
          </Button>
        ))}
      </div>
      {move.error ? <ProblemNotice error={move.error} /> : null}
    </>
  );
}

function FulfilmentForm({ order, onDone }: { order: OrderDetail; onDone: () => void }) {
  const [key, setKey] = useState(newKey);
  const ship = useAction(async (values: Record<string, string>) => {
    const body: Record<string, string> = { carrier: values.carrier ?? "", trackingNumber: values.trackingNumber ?? "" };
    if (values.trackingUrl) body.trackingUrl = values.trackingUrl;
    await sendOnce(key, () => setKey(newKey()), (attempt) => api(`/v1/admin/orders/${order.id}/fulfillments`, { method: "POST", json: body, headers: { "Idempotency-Key": attempt } }));
    onDone();
  });
  return (
    <form class="stack" aria-labelledby="fulfil-title" onSubmit={(event) => void ship.run(formValues(event))}>
      <h2 id="fulfil-title">Fulfil with tracking</h2>
      <div class="row">
        <Field label="Carrier" id="carrier" required />
        <Field label="Tracking number" id="trackingNumber" required />
        <Field label="Tracking URL (optional)" id="trackingUrl" type="url" />
      </div>
      <div><Button type="submit" kind="secondary" busy={ship.busy} busyLabel="Saving…">Add fulfilment</Button></div>
      {ship.error ? <ProblemNotice error={ship.error} what="Fulfilment" /> : null}
    </form>
  );
}

/**
 * Units per line (each refunds its share of what was paid, tax and discount included), an amount,
 * or both (the amount then replaces the units' share). The server decides the cents.
 */
function refundBody(order: OrderDetail, values: Record<string, string>): Record<string, unknown> {
  const lines = order.lines
    .map((line) => ({ sku: line.sku, quantity: Number(values[`units-${line.sku}`] ?? 0) }))
    .filter((line) => Number.isInteger(line.quantity) && line.quantity > 0);
  const body: Record<string, unknown> = { reason: values.reason ?? "", restock: values.restock === "on" };
  if (lines.length > 0) body.lines = lines;
  if (values.amount) body.amount = Math.round(Number(values.amount) * 100);
  return body;
}

function RefundForm({ order, onDone }: { order: OrderDetail; onDone: () => void }) {
  const [key, setKey] = useState(newKey);
  const refund = useAction(async (values: Record<string, string>) => {
    const body = refundBody(order, values);
    if (!body.lines && body.amount === undefined && values.everything !== "on") {
      throw new Error("Pick units or an amount, or tick “Refund everything left” to return the whole remaining payment.");
    }
    await sendOnce(key, () => setKey(newKey()), (attempt) => api(`/v1/admin/orders/${order.id}/refunds`, { method: "POST", json: body, headers: { "Idempotency-Key": attempt } }));
    onDone();
  });
  return (
    <form class="stack" aria-labelledby="refund-title" onSubmit={(event) => void refund.run(formValues(event))}>
      <h2 id="refund-title">Refund</h2>
      <p class="muted">Pick units (each gives back its share of what was paid), or an amount, or both; or refund everything left, shipping included.</p>
      <div class="row">
        {order.lines.map((line) => (
          <Field key={line.sku} label={`Units of ${line.title}`} id={`units-${line.sku}`} type="number" inputMode="numeric" min={0} max={line.quantity - (line.refundedQuantity ?? 0)} step="1" />
        ))}
      </div>
      <div class="row">
        <Field label={`Amount (${order.currency}, optional)`} id="amount" type="number" inputMode="decimal" min={0.01} step="0.01" />
        <Field label="Reason" id="reason" required />
        <label class="choice"><input type="checkbox" name="restock" /> Put the items back in stock</label>
        <label class="choice"><input type="checkbox" name="everything" /> Refund everything left</label>
      </div>
      <div><Button type="submit" kind="danger" busy={refund.busy} busyLabel="Refunding…">Refund</Button></div>
      {refund.error ? <ProblemNotice error={refund.error} what="Refunds" /> : null}
    </form>
  );
}

export function OrderDetailPage({ id }: { id: string }) {
  const loaded = useLoad(() => loadDetail(id), [id]);
  if (loaded.loading && !loaded.data) return <Loading label="Loading the order…" />;
  if (loaded.error) return <ProblemNotice error={loaded.error} />;
  if (!loaded.data) return null;
  const { order, full } = loaded.data;
  return (
    <section class="stack" aria-busy={loaded.loading}>
      <p><a href="/admin/orders">← Orders</a></p>
      <h1>Order {order.id}</h1>
      <p>
        <span class="badge" data-testid="order-status">{humanize(order.status)}</span> · {order.email} · {formatDate(order.createdAt)} · total <strong>{formatMoney(order.total)}</strong>
      </p>
      {!full ? <Notice>Payments, refunds, fulfilments and the timeline are not available on this server yet.</Notice> : null}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Order lines</caption>
          <thead><tr><th scope="col">SKU</th><th scope="col">Item</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Total</th></tr></thead>
          <tbody>
            {order.lines.map((line) => (
              <tr key={line.sku}><td>{line.sku}</td><td>{line.title}</td><td class="num">{line.quantity}</td><td class="num">{formatMoney(line.total)}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      {order.shippingAddress ? <p>Ship to: {Object.values(order.shippingAddress).filter(Boolean).join(", ")}</p> : null}
      <Transitions order={order} onDone={loaded.reload} />
      <FulfilmentForm order={order} onDone={loaded.reload} />
      <RefundForm order={order} onDone={loaded.reload} />
      <Records title="Payments" rows={order.payments} />
      <Records title="Refunds" rows={order.refunds} />
      <Records title="Fulfilments" rows={order.fulfillments} />
      {order.timeline ? (
        <>
          <h2>Timeline</h2>
          <ol>
            {order.timeline.map((entry, index) => (
              <li key={index}>
                {formatDate(entry.at)} · {entry.from ? `${humanize(entry.from)} → ` : ""}{humanize(entry.to)} · {entry.actor}
                {entry.reason ? ` · ${entry.reason}` : ""}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
