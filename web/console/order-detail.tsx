/**
 * One order for staff: lines and totals, the payment (authorised / captured / released, with a
 * capture for manual-capture orders), refunds/fulfillments/timeline (GET /v1/admin/orders/{id}),
 * status transitions, fulfillment with tracking, and refunds. A server without the detail endpoint
 * falls back to the plain order and says what is missing.
 */
import { useState } from "preact/hooks";
import { can } from "../../src/modules/identity/permissions";
import { ApiError, api, isMissingEndpoint } from "../shared/api";
import type { AdminOrder, Order, OrderPayment, OrderRefund } from "../shared/api-types";
import { formatDate, formatMoney, humanize, parseMoney, type Money } from "../shared/format";
import {
  Button,
  Field,
  Loading,
  Notice,
  ProblemNotice,
  formValues,
  useAction,
  useLoad,
  useSession,
} from "../shared/ui";
import { NEXT_STATUSES } from "./permissions";

type PaymentStatus = OrderPayment["status"];

/** One entry of `payments`; the capture fields are absent on a server from before manual capture. */
type PaymentSummary = Pick<OrderPayment, "provider" | "paymentId"> & Partial<OrderPayment>;

/** `kind` is absent on a server from before manual capture: such a row is a refund. */
type RefundRow = Omit<OrderRefund, "kind"> & Partial<Pick<OrderRefund, "kind">>;

type AdminLine = NonNullable<AdminOrder["lines"]>[number];

/**
 * GET /v1/admin/orders/{id}, or the plain order (GET /v1/orders/{id}) from a server without that
 * endpoint: then what only the staff view has is absent.
 */
type OrderDetail = Omit<Order, "lines"> & {
  lines: (Order["lines"][number] & Partial<AdminLine>)[];
  payments?: PaymentSummary[];
  refunds?: RefundRow[];
  fulfillments?: AdminOrder["fulfillments"];
  timeline?: AdminOrder["timeline"];
};

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

const STATUS_WORDS: Record<PaymentStatus, string> = {
  authorized: "Authorised: the money is held on the card, nothing taken yet",
  capturing: "Capturing: decided, waiting for the payment provider (retried every minute)",
  captured: "Captured: taken from the card",
  voiding: "Releasing the hold: decided, waiting for the payment provider (retried every minute)",
  voided: "Voided: the hold was released, nothing was taken",
};

const METHOD_WORDS = {
  automatic: "Automatic capture: taken at checkout",
  manual: "Manual capture: authorised at checkout, taken at the first parcel or with “Capture payment”",
};

const minus = (a: Money, b: Money | undefined): Money => ({
  amount: a.amount - (b?.amount ?? 0),
  currency: a.currency,
});

/** What a capture may take now: the authorisation less what was released (refunded before capture). */
const capturableOf = (payment: PaymentSummary): Money | undefined =>
  payment.authorized ? minus(payment.authorized, payment.voided) : undefined;

function Amount({
  label,
  money,
  testId,
  note,
}: {
  label: string;
  money: Money | undefined;
  testId: string;
  note?: string;
}) {
  if (!money) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd class="num">
        <span data-testid={testId}>{formatMoney(money)}</span>
        {note ? <span class="muted"> · {note}</span> : null}
      </dd>
    </>
  );
}

function PaymentFacts({ payment }: { payment: PaymentSummary }) {
  const method = payment.captureMethod ?? "automatic";
  const status = payment.status ?? "captured";
  return (
    <dl class="facts" aria-label={`Payment ${payment.paymentId}`}>
      <dt>Payment</dt>
      <dd>
        {payment.paymentId} ({payment.provider})
      </dd>
      <dt>Method</dt>
      <dd data-testid="payment-method">{METHOD_WORDS[method]}</dd>
      <dt>Status</dt>
      <dd data-testid="payment-status">
        {method === "automatic" && status === "captured" ? "Captured at checkout" : STATUS_WORDS[status]}
      </dd>
      <Amount label="Authorised" money={payment.authorized} testId="payment-authorized" />
      <Amount
        label="Captured"
        money={payment.captured}
        testId="payment-captured"
        note={status === "captured" ? "taken from the card" : undefined}
      />
      {status === "capturing" && payment.authorized ? (
        <Amount label="Being captured" money={capturableOf(payment)} testId="payment-capturing" />
      ) : null}
      <Amount label="Released" money={payment.voided} testId="payment-released" note="never taken from the card" />
      <Amount
        label="Refunded"
        money={payment.refunded}
        testId="payment-refunded"
        note="given back through the provider"
      />
      <Amount
        label="Refund pending"
        money={payment.refundPending}
        testId="payment-refund-pending"
        note={payment.refundPending?.amount ? "decided, waiting for the provider" : undefined}
      />
      {payment.authorizationExpiresAt ? (
        <>
          <dt>Authorisation expires</dt>
          <dd>
            <time data-testid="payment-expires" dateTime={payment.authorizationExpiresAt}>
              {formatDate(payment.authorizationExpiresAt)}
            </time>
            <span class="muted"> · a day before, an order that shipped nothing is cancelled and the hold released</span>
          </dd>
        </>
      ) : null}
      {payment.lastError ? (
        <>
          <dt>Last error</dt>
          <dd data-testid="payment-error">{payment.lastError}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** Takes an authorised payment now: all that may be taken, or less (the rest is released, never taken). */
function CaptureForm({
  order,
  payment,
  onAnswer,
}: {
  order: OrderDetail;
  payment: PaymentSummary;
  onAnswer: (order: OrderDetail) => void;
}) {
  const [key, setKey] = useState(newKey);
  const capturable = capturableOf(payment);
  const capture = useAction(async (values: Record<string, string>) => {
    const body: { amount?: number } = {};
    if (values["capture-amount"]?.trim()) {
      const amount = parseMoney(values["capture-amount"], order.currency);
      if (!Number.isInteger(amount) || amount < 1)
        throw new Error("Type an amount such as 12.50, or leave it empty to capture everything that may be taken.");
      body.amount = amount;
    }
    let answered: OrderDetail | undefined;
    await sendOnce(
      key,
      () => setKey(newKey()),
      async (attempt) => {
        answered = await api<OrderDetail>(`/v1/admin/orders/${order.id}/capture`, {
          method: "POST",
          json: body,
          headers: { "Idempotency-Key": attempt },
        });
      },
    );
    if (answered) onAnswer(answered);
  });
  return (
    <form class="stack" aria-labelledby="capture-title" onSubmit={(event) => void capture.run(formValues(event))}>
      <h3 id="capture-title">Capture payment</h3>
      <div class="row">
        <Field
          label={`Amount to capture (${order.currency}, optional)`}
          id="capture-amount"
          type="number"
          inputMode="decimal"
          min={0.01}
          step="0.01"
          hint={
            `Up to ${formatMoney(capturable)}. Leave empty to capture all of it; a smaller amount releases ` +
            `the rest, which is never taken.`
          }
        />
      </div>
      <div>
        <Button type="submit" busy={capture.busy} busyLabel="Capturing…">
          Capture payment
        </Button>
      </div>
      {capture.error ? <ProblemNotice error={capture.error} what="Capturing a payment" /> : null}
    </form>
  );
}

function PaymentSection({
  order,
  canManage,
  onAnswer,
}: {
  order: OrderDetail;
  canManage: boolean;
  onAnswer: (order: OrderDetail) => void;
}) {
  if (!order.payments) return null;
  return (
    <section class="stack" aria-labelledby="payment-title" data-testid="payment-section">
      <h2 id="payment-title">Payment</h2>
      {order.payments.length === 0 ? <p class="muted">Nothing was charged (a free order).</p> : null}
      {order.payments.map((payment) => (
        <div class="stack" key={payment.paymentId}>
          <PaymentFacts payment={payment} />
          {canManage && payment.captureMethod === "manual" && payment.status === "authorized" ? (
            <CaptureForm order={order} payment={payment} onAnswer={onAnswer} />
          ) : null}
        </div>
      ))}
    </section>
  );
}

function Refunds({ rows }: { rows: RefundRow[] | undefined }) {
  if (!rows) return null;
  return (
    <>
      <h2>Refunds</h2>
      {rows.length === 0 ? <p class="muted">None.</p> : null}
      <ul data-testid="refunds">
        {rows.map((row) => (
          <li key={row.id} data-kind={row.kind ?? "refund"}>
            <strong>{formatMoney(row.amount)}</strong>
            {" · "}
            {row.kind === "release" ? (
              <span class="badge badge-release">Released before capture: never taken from the card</span>
            ) : (
              <span class="badge">
                {row.status === "pending" ? "Refund pending: waiting for the provider" : "Refunded to the card"}
              </span>
            )}
            {row.reason ? ` · ${row.reason}` : ""}
            {row.lines.length ? ` · ${row.lines.map((line) => `${line.quantity} × ${line.sku}`).join(", ")}` : ""}
            {row.restock ? " · restocked" : ""}
            {` · ${row.actor} · ${formatDate(row.createdAt)} · ${row.id}`}
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
          <Button
            key={to}
            kind={to === "cancelled" || to === "refunded" ? "danger" : "secondary"}
            busy={move.busy}
            onClick={() => void move.run(to)}
          >
            Mark {humanize(to).toLowerCase()}
          </Button>
        ))}
      </div>
      {move.error ? <ProblemNotice error={move.error} /> : null}
    </>
  );
}

function FulfillmentForm({ order, onDone }: { order: OrderDetail; onDone: () => void }) {
  const [key, setKey] = useState(newKey);
  const ship = useAction(async (values: Record<string, string>) => {
    const body: Record<string, string> = { carrier: values.carrier ?? "", trackingNumber: values.trackingNumber ?? "" };
    if (values.trackingUrl) body.trackingUrl = values.trackingUrl;
    await sendOnce(
      key,
      () => setKey(newKey()),
      (attempt) =>
        api(`/v1/admin/orders/${order.id}/fulfillments`, {
          method: "POST",
          json: body,
          headers: { "Idempotency-Key": attempt },
        }),
    );
    onDone();
  });
  return (
    <form class="stack" aria-labelledby="fulfill-title" onSubmit={(event) => void ship.run(formValues(event))}>
      <h2 id="fulfill-title">Fulfill with tracking</h2>
      <div class="row">
        <Field label="Carrier" id="carrier" required />
        <Field label="Tracking number" id="trackingNumber" required />
        <Field label="Tracking URL (optional)" id="trackingUrl" type="url" />
      </div>
      <div>
        <Button type="submit" kind="secondary" busy={ship.busy} busyLabel="Saving…">
          Add fulfillment
        </Button>
      </div>
      {ship.error ? <ProblemNotice error={ship.error} what="Fulfillment" /> : null}
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
  if (values.amount) body.amount = parseMoney(values.amount, order.currency);
  return body;
}

function RefundForm({ order, onDone }: { order: OrderDetail; onDone: () => void }) {
  const [key, setKey] = useState(newKey);
  const refund = useAction(async (values: Record<string, string>) => {
    const body = refundBody(order, values);
    if (!body.lines && body.amount === undefined && values.everything !== "on") {
      throw new Error(
        "Pick units or an amount, or tick “Refund everything left” to return the whole remaining payment.",
      );
    }
    await sendOnce(
      key,
      () => setKey(newKey()),
      (attempt) =>
        api(`/v1/admin/orders/${order.id}/refunds`, {
          method: "POST",
          json: body,
          headers: { "Idempotency-Key": attempt },
        }),
    );
    onDone();
  });
  return (
    <form class="stack" aria-labelledby="refund-title" onSubmit={(event) => void refund.run(formValues(event))}>
      <h2 id="refund-title">Refund</h2>
      <p class="muted">
        Pick units (each gives back its share of what was paid), or an amount, or both; or refund everything left,
        shipping included.
      </p>
      <div class="row">
        {order.lines.map((line) => (
          <Field
            key={line.sku}
            label={`Units of ${line.title}`}
            id={`units-${line.sku}`}
            type="number"
            inputMode="numeric"
            min={0}
            max={line.quantity - (line.refundedQuantity ?? 0)}
            step="1"
          />
        ))}
      </div>
      <div class="row">
        <Field
          label={`Amount (${order.currency}, optional)`}
          id="amount"
          type="number"
          inputMode="decimal"
          min={0.01}
          step="0.01"
        />
        <Field label="Reason" id="reason" required />
        <label class="choice">
          <input type="checkbox" name="restock" /> Put the items back in stock
        </label>
        <label class="choice">
          <input type="checkbox" name="everything" /> Refund everything left
        </label>
      </div>
      <div>
        <Button type="submit" kind="danger" busy={refund.busy} busyLabel="Refunding…">
          Refund
        </Button>
      </div>
      {refund.error ? <ProblemNotice error={refund.error} what="Refunds" /> : null}
    </form>
  );
}

export function OrderDetailPage({ id }: { id: string }) {
  const loaded = useLoad(() => loadDetail(id), [id]);
  const role = useSession()?.user.role;
  // the page hides what the role cannot use; the API checks orders:manage on every write regardless
  const canManage = role ? can(role, "orders:manage") : false;
  if (loaded.loading && !loaded.data) return <Loading label="Loading the order…" />;
  if (loaded.error) return <ProblemNotice error={loaded.error} />;
  if (!loaded.data) return null;
  const { order, full } = loaded.data;
  return (
    <section class="stack" aria-busy={loaded.loading}>
      <p>
        <a href="/admin/orders">← Orders</a>
      </p>
      <h1>Order {order.id}</h1>
      <p>
        <span class="badge" data-testid="order-status">
          {humanize(order.status)}
        </span>{" "}
        · {order.email} · {formatDate(order.createdAt)} · total <strong>{formatMoney(order.total)}</strong>
      </p>
      {!full ? (
        <Notice>Payments, refunds, fulfillments and the timeline are not available on this server yet.</Notice>
      ) : null}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Order lines</caption>
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Item</th>
              <th scope="col" class="num">
                Quantity
              </th>
              <th scope="col" class="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((line) => (
              <tr key={line.sku}>
                <td>{line.sku}</td>
                <td>{line.title}</td>
                <td class="num">{line.quantity}</td>
                <td class="num">{formatMoney(line.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {order.shippingAddress ? <p>Ship to: {Object.values(order.shippingAddress).filter(Boolean).join(", ")}</p> : null}
      <PaymentSection
        order={order}
        canManage={canManage}
        onAnswer={(answered) => loaded.set({ order: answered, full: true })}
      />
      <Transitions order={order} onDone={loaded.reload} />
      <FulfillmentForm order={order} onDone={loaded.reload} />
      <RefundForm order={order} onDone={loaded.reload} />
      <Refunds rows={order.refunds} />
      <Records title="Fulfillments" rows={order.fulfillments} />
      {order.timeline ? (
        <>
          <h2>Timeline</h2>
          <ol>
            {order.timeline.map((entry, index) => (
              <li key={index}>
                {formatDate(entry.at)} · {entry.from ? `${humanize(entry.from)} → ` : ""}
                {humanize(entry.to)} · {entry.actor}
                {entry.reason ? ` · ${entry.reason}` : ""}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
