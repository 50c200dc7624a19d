/** Orders: a filtered list with keyset "load more", each linking to its detail. */
import { api, query, type Page } from "../shared/api";
import type { Order } from "../shared/api-types";
import { humanize } from "../shared/format";
import { OrderRow } from "../shared/order-row";
import { navigate, type Location } from "../shared/router";
import { LoadMore, usePages } from "../shared/paging";
import { Loading, ProblemNotice } from "../shared/ui";
import { ORDER_STATUSES } from "./permissions";

export function OrdersPage({ where }: { where: Location }) {
  const status = where.query.get("status") ?? "";
  const pages = usePages(
    (cursor) => api<Page<Order>>(`/v1/admin/orders${query({ status, limit: 25, cursor })}`),
    [status],
  );
  const { first, items: orders } = pages;
  return (
    <section class="stack">
      <h1>Orders</h1>
      <div class="field">
        <label for="status-filter">Status</label>
        <select
          id="status-filter"
          value={status}
          onChange={(event) => navigate(`/admin/orders${query({ status: event.currentTarget.value })}`)}
        >
          <option value="">All statuses</option>
          {ORDER_STATUSES.map((value) => (
            <option key={value} value={value}>
              {humanize(value)}
            </option>
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
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Placed</th>
                <th scope="col">Customer</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.map((order) => (
                <OrderRow key={order.id} order={order} href={`/admin/orders/${order.id}`} showEmail />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore pages={pages} />
    </section>
  );
}
