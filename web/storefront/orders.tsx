/** Order confirmation (also for guests, from the checkout's answer) and the signed-in history. */
import { api, query, type Page } from "../shared/api";
import type { Order } from "../shared/api-types";
import { formatDate, formatMoney, humanize } from "../shared/format";
import { OrderRow } from "../shared/order-row";
import { Loading, Notice, ProblemNotice, useLoad, useSession } from "../shared/ui";
import { Totals } from "./totals";

const PLACED = "motor.placedOrder";

/** A guest cannot read GET /v1/orders/{id}; the confirmation shows the checkout's own answer. */
export const rememberPlacedOrder = (order: Order) => sessionStorage.setItem(PLACED, JSON.stringify(order));

function placedOrder(id: string): Order | null {
  try {
    const order = JSON.parse(sessionStorage.getItem(PLACED) ?? "null") as Order | null;
    return order?.id === id ? order : null;
  } catch {
    return null;
  }
}

function OrderSummary({ order }: { order: Order }) {
  return (
    <div class="stack">
      <p>
        Order <strong data-testid="order-id">{order.id}</strong> · <span class="badge">{humanize(order.status)}</span> ·{" "}
        {formatDate(order.createdAt)}
      </p>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Items of this order</caption>
          <thead>
            <tr>
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
                <td>{line.title}</td>
                <td class="num">{line.quantity}</td>
                <td class="num">{formatMoney(line.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Totals priced={order} />
    </div>
  );
}

export function OrderPage({ id, placed }: { id: string; placed: boolean }) {
  const session = useSession();
  const local = placedOrder(id);
  const loaded = useLoad(
    () => (session && !local ? api<Order>(`/v1/orders/${encodeURIComponent(id)}`) : Promise.resolve(local)),
    [id, session?.user.id],
  );
  const order = local ?? loaded.data;
  return (
    <section class="stack">
      <h1>{placed ? "Thank you for your order" : "Order"}</h1>
      {placed && order ? (
        <Notice kind="success">Payment received. A confirmation is on its way to {order.email}.</Notice>
      ) : null}
      {loaded.loading && !order ? <Loading label="Loading the order…" /> : null}
      {loaded.error ? <ProblemNotice error={loaded.error} /> : null}
      {order ? <OrderSummary order={order} /> : null}
      {!order && !loaded.loading && !session ? (
        <p>
          <a href="/account">Sign in</a> to see your orders.
        </p>
      ) : null}
      <p>
        <a href={session ? "/orders" : "/"}>{session ? "All my orders" : "Continue shopping"}</a>
      </p>
    </section>
  );
}

export function OrderHistory() {
  const session = useSession();
  const orders = useLoad(
    () => (session ? api<Page<Order>>(`/v1/orders${query({ limit: 50 })}`) : Promise.resolve(null)),
    [session?.user.id],
  );
  if (!session)
    return (
      <p>
        <a href="/account">Sign in</a> to see your orders.
      </p>
    );
  return (
    <section>
      <h1>My orders</h1>
      {orders.loading ? <Loading label="Loading your orders…" /> : null}
      {orders.error ? <ProblemNotice error={orders.error} /> : null}
      {orders.data && orders.data.data.length === 0 ? <p>No orders yet.</p> : null}
      {orders.data?.data.length ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Your orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Date</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.data.data.map((order) => (
                <OrderRow key={order.id} order={order} href={`/orders/${order.id}`} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
