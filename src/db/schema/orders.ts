/**
 * Orders, their lines and their state transitions, plus the durable checkout records that create
 * them. Amounts are integer minor units in the order's currency. An order's status only changes
 * through `order_transitions` (see src/modules/orders/order-state.ts); every change leaves a row.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const ORDER_STATUSES = [
  "pending",
  "paid",
  "fulfilled",
  "partially_shipped",
  "shipped",
  "delivered",
  "cancelled",
  "refunded",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * An authorisation's life (manual capture): `authorized` (held on the card) → `capturing` (the
 * capture is decided and durable; the provider is asked, retried under one key) → `captured`; or
 * `voiding` → `voided` (released: no refund, no fee).
 */
export const ORDER_PAYMENT_STATUSES = ["authorized", "capturing", "captured", "voiding", "voided"] as const;
export type OrderPaymentStatus = (typeof ORDER_PAYMENT_STATUSES)[number];

export const CHECKOUT_STATES = [
  "reserving",
  "charging",
  "requires_action",
  "charged",
  "completed",
  "compensating",
  "compensated",
] as const;
export type CheckoutState = (typeof CHECKOUT_STATES)[number];

export interface AddressSnapshot {
  country: string;
  region?: string | null;
  postalCode?: string | null;
  city?: string | null;
  line1?: string | null;
  [key: string]: unknown;
}

export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    userId: text("user_id"),
    email: text("email").notNull(),
    currency: text("currency").notNull(),
    subtotal: integer("subtotal").notNull(),
    discount: integer("discount").notNull().default(0),
    shipping: integer("shipping").notNull().default(0),
    tax: integer("tax").notNull().default(0),
    taxInclusive: integer("tax_inclusive", { mode: "boolean" }).notNull().default(false),
    total: integer("total").notNull(),
    discountCode: text("discount_code"),
    shippingAddress: text("shipping_address", { mode: "json" }).$type<AddressSnapshot>(),
    billingAddress: text("billing_address", { mode: "json" }).$type<AddressSnapshot>(),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    paymentProvider: text("payment_provider"),
    paymentId: text("payment_id"),
    /** One order per checkout, ever: the checkout's order batch cannot run twice. */
    checkoutId: text("checkout_id").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** How the checkout charged (PAYMENT_CAPTURE when it ran). Added by 0074, like every column below. */
    captureMethod: text("capture_method", { enum: ["automatic", "manual"] })
      .notNull()
      .default("automatic"),
    /** Manual capture only (null otherwise): where the authorisation stands (orders/order-payment.ts). */
    paymentStatus: text("payment_status", { enum: ORDER_PAYMENT_STATUSES }),
    /** What the capture takes (decided when `capturing`) or took; null before. */
    amountCaptured: integer("amount_captured"),
    authorizationExpiresAt: integer("authorization_expires_at"),
    /** When the merchant was told the authorisation is about to expire (once). */
    authorizationWarnedAt: integer("authorization_warned_at"),
    /** Retries of a capture or void that did not get through (the minute cron), and the last error. */
    paymentAttempts: integer("payment_attempts").notNull().default(0),
    /** When the cron looks at this order's payment again: a retry, the expiry warning, the expiry policy. */
    paymentNextAttemptAt: integer("payment_next_attempt_at"),
    paymentLastError: text("payment_last_error"),
  },
  (table) => [
    // "my orders", newest first (keyset on created_at, id)
    index("orders_user_created_idx").on(table.userId, table.createdAt, table.id),
    // the admin list filtered by status, newest first
    index("orders_status_created_idx").on(table.status, table.createdAt, table.id),
    index("orders_created_idx").on(table.createdAt, table.id),
    // payment webhooks find the order by the provider's payment id
    index("orders_payment_idx").on(table.paymentId),
    // the orders whose authorisation still needs something (a capture or void to retry, an expiry)
    index("orders_payment_due_idx")
      .on(table.paymentNextAttemptAt)
      .where(sql`${table.paymentStatus} IN ('authorized', 'capturing', 'voiding')`),
  ],
);

export const orderLines = sqliteTable(
  "order_lines",
  {
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    /** NOT NULL doubles as the stock guard of the order batch (see orders.repository.ts). */
    sku: text("sku").notNull(),
    title: text("title").notNull(),
    quantity: integer("quantity").notNull(),
    unitPrice: integer("unit_price").notNull(),
    /** unitPrice × quantity, before the discount. */
    total: integer("total").notNull(),
    /** This line's share of the cart discount; null on lines written before it was kept. */
    discount: integer("discount"),
    /** This line's own rounded tax; null on lines written before it was kept. */
    tax: integer("tax"),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.sku] })],
);

export const orderTransitions = sqliteTable(
  "order_transitions",
  {
    id: text("id").primaryKey(),
    /** NOT NULL doubles as the compare-and-set guard of a transition batch. */
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    fromStatus: text("from_status", { enum: ORDER_STATUSES }),
    toStatus: text("to_status", { enum: ORDER_STATUSES }).notNull(),
    /** A user id, or `system:<what>` (checkout, payment webhook, sweep). */
    actor: text("actor").notNull(),
    reason: text("reason"),
    at: integer("at").notNull(),
  },
  (table) => [index("order_transitions_order_idx").on(table.orderId, table.at)],
);

export const checkouts = sqliteTable(
  "checkouts",
  {
    id: text("id").primaryKey(),
    /** sha256(scope + Idempotency-Key): a retry of the same request resumes this checkout. */
    requestKey: text("request_key").notNull(),
    cartId: text("cart_id").notNull(),
    userId: text("user_id"),
    state: text("state", { enum: CHECKOUT_STATES }).notNull(),
    paymentMethod: text("payment_method").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    /** The server-priced cart at the time of checkout: what the order is written from. */
    snapshot: text("snapshot", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    paymentId: text("payment_id"),
    orderId: text("order_id"),
    failure: text("failure"),
    stockCommittedAt: integer("stock_committed_at"),
    /** Sweep attempts that found nothing to do yet (unknown payment outcome, refund failing): the backoff. */
    attempts: integer("attempts").notNull().default(0),
    /** When the sweep may look at this row again; every state change pushes it past STUCK_AFTER_MS. */
    nextAttemptAt: integer("next_attempt_at").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** Where the buyer comes back after authenticating (allow-listed). Last: added by 0072. */
    returnUrl: text("return_url"),
    /** While `requires_action`: the provider's payment that waits for the buyer, and where the buyer goes. Added by 0072. */
    nextAction: text("next_action", { mode: "json" }).$type<CheckoutAction>(),
    /** Who holds the stock: `user:<id>` or `ip:<address>` (clientKeyOf); bounds one client's live holds. Added by 0073. */
    clientKey: text("client_key"),
    /** `manual`: the charge only authorises (PAYMENT_CAPTURE when the checkout started). Added by 0074. */
    captureMethod: text("capture_method", { enum: ["automatic", "manual"] })
      .notNull()
      .default("automatic"),
    /** Charges sent before this one: another card after a failed authentication is a new charge, under a new key. Added by 0074. */
    chargeAttempt: integer("charge_attempt").notNull().default(0),
  },
  (table) => [
    index("checkouts_request_idx").on(table.requestKey, table.createdAt),
    index("checkouts_state_updated_idx").on(table.state, table.updatedAt),
    // one checkout per cart that has not failed: a second tab (any key) is a 409
    uniqueIndex("checkouts_cart_live_idx")
      .on(table.cartId)
      .where(sql`${table.state} <> 'compensated'`),
    // the sweep reads live checkouts only; checkout.repository.ts repeats this predicate verbatim
    index("checkouts_sweep_idx")
      .on(table.nextAttemptAt)
      .where(
        sql`${table.state} IN ('reserving', 'charging', 'charged', 'compensating') OR (${
          table.state
        } = 'completed' AND ${table.stockCommittedAt} IS NULL)`,
      ),
    // checkouts waiting for the buyer: the sweep asks the provider about the quiet ones
    index("checkouts_action_idx")
      .on(table.nextAttemptAt)
      .where(sql`${table.state} = 'requires_action'`),
    // one client's live holds (checkout.policy.ts); the count repeats this predicate verbatim
    index("checkouts_client_live_idx")
      .on(table.clientKey)
      .where(sql`${table.state} IN ('reserving', 'charging', 'requires_action', 'charged', 'compensating')`),
  ],
);

/** The payment of a checkout that waits for the buyer (3-D Secure), and where the buyer must go. */
export type CheckoutAction = { paymentId: string } & (
  { type: "redirect"; url: string; clientSecret?: string } | { type: "use_stripe_sdk"; clientSecret: string }
);

export interface LineQuantity {
  sku: string;
  quantity: number;
}

/** A parcel handed to a carrier: which units of which lines, and how to track it. */
export const orderFulfillments = sqliteTable(
  "order_fulfillments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    carrier: text("carrier").notNull(),
    trackingNumber: text("tracking_number").notNull(),
    trackingUrl: text("tracking_url"),
    lines: text("lines", { mode: "json" }).$type<LineQuantity[]>().notNull(),
    actor: text("actor").notNull(),
    /** Derived from the caller's Idempotency-Key: a retried request finds this parcel. */
    requestKey: text("request_key"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [
    index("order_fulfillments_order_idx").on(table.orderId, table.createdAt),
    uniqueIndex("order_fulfillments_request_key_idx").on(table.requestKey),
  ],
);

export const ORDER_REFUND_STATUSES = ["pending", "succeeded"] as const;
export type OrderRefundStatus = (typeof ORDER_REFUND_STATUSES)[number];

/**
 * Money going back to a buyer. A row is written `pending` in the same batch as the order change
 * that decides it (a cancel, a refund), BEFORE the provider is called; the provider call (keyed by
 * `provider_key`) then moves it to `succeeded`. A failed call leaves it pending for the sweep.
 */
export const orderRefunds = sqliteTable(
  "order_refunds",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    /** null for an order that was never charged (a free order): nothing to send back. */
    paymentId: text("payment_id"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    reason: text("reason"),
    lines: text("lines", { mode: "json" }).$type<LineQuantity[]>(),
    restock: integer("restock", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: ORDER_REFUND_STATUSES }).notNull(),
    /**
     * `refund`: money back through the provider. `release`: an authorised amount never taken (refunded
     * before capture): no provider call, recorded as done; the capture takes that much less. Added by 0074.
     */
    kind: text("kind", { enum: ["refund", "release"] })
      .notNull()
      .default("refund"),
    /** The provider's idempotency key: one refund row is one provider refund, however often it is retried. */
    providerKey: text("provider_key").notNull(),
    providerRefundId: text("provider_refund_id"),
    actor: text("actor").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("order_refunds_provider_key_idx").on(table.providerKey),
    index("order_refunds_order_idx").on(table.orderId, table.createdAt),
    index("order_refunds_pending_idx")
      .on(table.nextAttemptAt)
      .where(sql`${table.status} = 'pending'`),
  ],
);
