/**
 * Customers: a signed-in customer's saved addresses (at most MAX_SAVED_ADDRESSES; someone else's
 * is a 404), and what staff see of customers — the list with search, and one customer's profile,
 * addresses, orders and lifetime value per currency. No HTTP here.
 */
import type { Database } from "../../db/client";
import { NotFoundError, UnprocessableError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import type { Currency } from "../../platform/money";
import { decodeCursor, toPage } from "../../platform/pagination";
import * as repo from "./customers.repository";
import {
  customerCursorSchema,
  MAX_SAVED_ADDRESSES,
  type CustomerDetailView,
  type CustomerListQuery,
  type CustomerView,
  type SaveAddressInput,
  type SavedAddressView,
} from "./customers.schemas";

const iso = (ms: number) => new Date(ms).toISOString();

function toSavedAddressView(row: repo.SavedAddressRow): SavedAddressView {
  return {
    id: row.id,
    label: row.label,
    address: row.address as SavedAddressView["address"],
    createdAt: iso(row.createdAt),
  };
}

export async function listAddresses(db: Database, userId: string) {
  return { data: (await repo.selectAddresses(db, userId)).map(toSavedAddressView) };
}

export async function saveAddress(db: Database, userId: string, input: SaveAddressInput): Promise<SavedAddressView> {
  const row: repo.SavedAddressRow = {
    id: newId("adr"),
    userId,
    label: input.label ?? null,
    address: input.address,
    createdAt: Date.now(),
  };
  const result = await repo.insertAddressBelow(db, row, MAX_SAVED_ADDRESSES);
  if ((result.meta.changes ?? 0) === 0)
    throw new UnprocessableError({ detail: `At most ${MAX_SAVED_ADDRESSES} saved addresses; delete one first` });
  return toSavedAddressView(row);
}

export async function deleteAddress(db: Database, userId: string, id: string): Promise<void> {
  if (!(await repo.deleteAddress(db, userId, id))) throw new NotFoundError({ detail: "No such saved address" });
}

function toCustomerView(row: repo.UserRow): CustomerView {
  return { id: row.id, email: row.email, name: row.name, createdAt: iso(row.createdAt) };
}

export async function listCustomers(db: Database, query: CustomerListQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, customerCursorSchema) : undefined;
  const rows = await repo.listCustomers(db, { q: query.q, after, limit: query.limit });
  return toPage(rows, query.limit, toCustomerView, (row) => ({ t: row.createdAt, id: row.id }));
}

export async function getCustomer(db: Database, id: string): Promise<CustomerDetailView> {
  const { user, addresses, recent, orderCount, value } = await repo.findCustomerDetail(db, id);
  if (!user) throw new NotFoundError({ detail: `No customer ${id}` });
  return {
    ...toCustomerView(user),
    role: user.role,
    addresses: addresses.map(toSavedAddressView),
    orders: recent.map((order) => ({
      id: order.id,
      status: order.status,
      total: { amount: order.total, currency: order.currency as Currency },
      createdAt: iso(order.createdAt),
    })),
    orderCount,
    lifetimeValue: value.map((entry) => ({
      amount: entry.amount,
      currency: entry.currency as Currency,
      orders: entry.orders,
    })),
  };
}
