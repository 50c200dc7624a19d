/**
 * The few fields of Motor's answers the chaos actors and invariants read. Every answer was already
 * checked against the served OpenAPI document by the Recorder, so these are views, not guesses.
 */

export interface Money {
  amount: number;
  currency: string;
}

export interface CatalogProduct {
  id: string;
  slug: string;
  variants: { sku: string; price: Money; available: number }[];
}

export interface AdminVariant {
  sku: string;
  title: string;
  options: Record<string, string>;
  weightGrams: number;
  position: number;
  status: "active" | "archived";
  prices: Money[];
}

export interface AdminProduct {
  id: string;
  variants: AdminVariant[];
}

export interface CartView {
  id: string;
  lines: { sku: string; quantity: number }[];
  total: Money;
}

/** 409 `price-changed`: the cart's total and version now (docs/checkout.md, "the buyer's consent"). */
export interface PriceChanged {
  type: string;
  total: Money;
  etag: string;
}

export interface OrderView {
  id: string;
  status: string;
  email: string;
  lines: { sku: string; quantity: number }[];
  total: Money;
  paymentId: string | null;
  createdAt: string;
}

export interface AdminOrderView extends OrderView {
  payments: { paymentId: string; captured: Money; refunded: Money; refundPending: Money }[];
  refunds: {
    id: string;
    amount: Money;
    status: "pending" | "succeeded";
    reason: string | null;
    lines: { sku: string; quantity: number }[];
    restock: boolean;
    providerRefundId: string | null;
    actor: string;
    createdAt: string;
  }[];
  fulfillments: unknown[];
  timeline: { at: string; from: string | null; to: string; actor: string; reason: string | null }[];
}

export interface LedgerEntry {
  id: string;
  kind: "charge" | "refund";
  paymentId: string;
  amount: number;
  currency: string;
  idempotencyKey: string;
  status: "succeeded" | "declined" | "refunded";
  orderId: string | null;
  createdAt: string;
}

export interface Mismatch {
  kind: string;
  paymentId: string;
  orderId: string | null;
  status: "open" | "resolved";
}

export interface WebhookAck {
  received: true;
  eventId: string;
  duplicate: boolean;
}

export interface StockLevel {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface TaxRule {
  id: string;
  country: string;
  region: string | null;
  rateBasisPoints: number;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
