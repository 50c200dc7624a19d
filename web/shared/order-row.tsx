/** One order as a table row, in the shopper's history and in the console's list. */
import type { Order } from "./api-types";
import { formatDate, formatMoney, humanize } from "./format";

export function OrderRow({
  order,
  href,
  showEmail = false,
}: {
  order: Pick<Order, "id" | "status" | "email" | "total" | "createdAt">;
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
