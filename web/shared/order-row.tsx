/** One order as a table row, in the shopper's history and in the console's list. */
import { formatDate, formatMoney, humanize, type Money } from "./format";

export interface OrderRowData {
  id: string;
  status: string;
  email: string;
  total: Money;
  createdAt: string;
}

export function OrderRow({
  order,
  href,
  showEmail = false,
}: {
  order: OrderRowData;
  href: string;
  showEmail?: boolean;
}) {
  return (
    <tr>
      <td>
        <a href={href}>{order.id}</a>
      </td>
      <td>{formatDate(order.createdAt)}</td>
      {showEmail ? <td>{order.email}</td> : null}
      <td>{humanize(order.status)}</td>
      <td class="num">{formatMoney(order.total)}</td>
    </tr>
  );
}
