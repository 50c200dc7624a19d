/** Orders: a filtered list with keyset "load more", each linking to its detail. */
import { useEffect, useState } from "preact/hooks";
import { api, query, type Page } from "../shared/api";
import { formatDate, formatMoney, humanize, type Money } from "../shared/format";
import { navigate, type Location } from "../shared/router";
import { Button, Loading, ProblemNotice, useAction, useLoad } from "../shared/ui";
import { ORDER_STATUSES } from "./permissions";

export interface AdminOrder {
  id: string;
  status: string;
  email: string;
  total: Money;
  createdAt: string;
}

export function OrdersPage({ where }: { where: Location }) {
  const status = where.query.get("status") ?? "";
  const first = useLoad(() => api<Page<AdminOrder>>(`/v1/admin/orders${query({ status, limit: 25 })}`), [status]);
  const [orders, setOrders] = useState<AdminOrder[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  useEffect(() => {
    if (first.data) {
      setOrders(first.data.data);
      setCursor(first.data.nextCursor);
    }
  }, [first.data]);
  const more = useAction(async () => {
    const page = await api<Page<AdminOrder>>(`/v1/admin/orders${query({ status, limit: 25, cursor })}`);
    setOrders((shown) => [...shown, ...page.data]);
    setCursor(page.nextCursor);
  });
  return (
    <section class="stack">
      <h1>Orders</h1>
      <div class="field">
        <label for="status-filter">Status</label>
        <select id="status-filter" value={status} onChange={(event) => navigate(`/admin/orders${query({ status: event.currentTarget.value })}`)}>
          <option value="">All statuses</option>
          {ORDER_STATUSES.map((value) => (
            <option key={value} value={value}>{humanize(value)}</option>
          ))}
        </select>
      </div>
      {first.loading ? <Loading label="Loading orders…" /> : null}
      {first.error ? <ProblemNotice error={first.error} /> : null}
      {first.data && orders.length === 0 ? <p>No orders.</p> : null}
      {orders.length ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Orders, newest first</caption>
            <thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Customer</th><th scope="col">Status</th><th scope="col" class="num">Total</th></tr></thead>
            <tbody>
              {orders.map((order) => (
                <tr key={order.id}>
                  <td><a href={`/admin/orders/${order.id}`}>{order.id}</a></td>
                  <td>{formatDate(order.createdAt)}</td>
                  <td>{order.email}</td>
                  <td>{humanize(order.status)}</td>
                  <td class="num">{formatMoney(order.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {more.error ? <ProblemNotice error={more.error} /> : null}
      {cursor ? <div><Button kind="secondary" busy={more.busy} busyLabel="Loading…" onClick={() => void more.run()}>Load more</Button></div> : null}
    </section>
  );
}
