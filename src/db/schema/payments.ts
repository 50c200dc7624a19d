/**
 * Payments: the built-in test provider's bank (`test_provider_charges` and `test_provider_refunds`:
 * its charges and refunds, not Motor's payment records, which live on orders and checkouts), and the
 * inbound webhook events already processed, by provider and event id, so a redelivery does nothing twice.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const testProviderCharges = sqliteTable(
  "test_provider_charges",
  {
    id: text("id").primaryKey(),
    provider: text("provider").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** sha256 of the charge parameters: the same key with other parameters is refused. */
    requestHash: text("request_hash").notNull(),
    amount: integer("amount").notNull(),
    amountRefunded: integer("amount_refunded").notNull().default(0),
    currency: text("currency").notNull(),
    paymentMethod: text("payment_method").notNull(),
    /**
     * `requires_action`: waits for the buyer's authentication (3-D Secure); `canceled`: its window
     * passed; `authorized`: held on the card, not taken (manual capture); `voided`: that hold released.
     */
    status: text("status", {
      enum: ["succeeded", "declined", "refunded", "requires_action", "canceled", "authorized", "voided"],
    }).notNull(),
    declineCode: text("decline_code"),
    description: text("description"),
    /** What the charge is for (the charge's metadata): reconciliation matches it against orders. */
    checkoutId: text("checkout_id"),
    orderId: text("order_id"),
    /** `pm_card_refundFails`: how many refunds of this charge have failed so far. */
    refundFailures: integer("refund_failures").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    /** Where the local authentication page sends the buyer back (a charge that waits for the buyer). Added by 0072. */
    returnUrl: text("return_url"),
    /** `manual`: authorised at checkout, captured later. Added by 0074, like the four below. */
    captureMethod: text("capture_method", { enum: ["automatic", "manual"] })
      .notNull()
      .default("automatic"),
    /** What the capture took (≤ amount); null until captured. Refunds are bounded by it. */
    amountCaptured: integer("amount_captured"),
    /** The capture's idempotency key: the same key answers the same capture. */
    captureKey: text("capture_key"),
    capturedAt: integer("captured_at"),
    voidedAt: integer("voided_at"),
  },
  (table) => [
    uniqueIndex("test_provider_charges_provider_key_idx").on(table.provider, table.idempotencyKey),
    index("test_provider_charges_created_idx").on(table.createdAt, table.id),
  ],
);

export const testProviderRefunds = sqliteTable(
  "test_provider_refunds",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id")
      .notNull()
      .references(() => testProviderCharges.id),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    amount: integer("amount").notNull(),
    createdAt: integer("created_at").notNull(),
    /**
     * `pm_card_refundPendingFails`: its refunds stay `pending` until they fail (the amount goes back to the charge).
     * Last: added by 0071.
     */
    status: text("status", { enum: ["succeeded", "pending", "failed"] })
      .notNull()
      .default("succeeded"),
  },
  (table) => [index("test_provider_refunds_created_idx").on(table.createdAt, table.id)],
);

export const paymentWebhookEvents = sqliteTable(
  "payment_webhook_events",
  {
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    receivedAt: integer("received_at").notNull(),
    /** `leased` while one attempt applies it (until `lease_until`), `applied` once done. */
    status: text("status", { enum: ["leased", "applied"] })
      .notNull()
      .default("applied"),
    leaseUntil: integer("lease_until"),
    /** The verified, normalised event: an expired lease is re-applied from it without the provider. */
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (table) => [
    primaryKey({ columns: [table.provider, table.eventId] }),
    index("payment_webhook_events_leased_idx")
      .on(table.leaseUntil)
      .where(sql`${table.status} = 'leased'`),
  ],
);

/** Found by reconciliation (which resolves them once it no longer sees them). */
export const RECONCILED_MISMATCH_KINDS = [
  "orphan_charge",
  "refund_missing",
  "refunded_outside_motor",
  "order_without_charge",
] as const;
/**
 * Plus those a provider event reveals: `failed_after_success`, a payment failure for a payment whose
 * order was paid; `capture_failed` / `void_failed`, an order's capture or void the provider refused
 * for good (order-payment.ts). Reconciliation cannot see these again, so only a person resolves them.
 */
export const MISMATCH_KINDS = [
  ...RECONCILED_MISMATCH_KINDS,
  "failed_after_success",
  "refund_failed",
  "capture_failed",
  "void_failed",
] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

/** What reconciliation found between the provider's books and Motor's; one row per (kind, payment). */
export const paymentMismatches = sqliteTable(
  "payment_mismatches",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: MISMATCH_KINDS }).notNull(),
    provider: text("provider").notNull(),
    paymentId: text("payment_id").notNull(),
    checkoutId: text("checkout_id"),
    orderId: text("order_id"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    detail: text("detail").notNull(),
    status: text("status", { enum: ["open", "resolved"] }).notNull(),
    /** What reconciliation did about it (e.g. `refunded`), or null when a person must look. */
    action: text("action"),
    firstSeenAt: integer("first_seen_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    resolvedAt: integer("resolved_at"),
  },
  (table) => [
    uniqueIndex("payment_mismatches_kind_payment_idx").on(table.kind, table.paymentId),
    index("payment_mismatches_open_idx").on(table.status, table.firstSeenAt, table.id),
  ],
);

/**
 * Where reconciliation's last complete run reached, per provider: the next run reads from there
 * minus an overlap (reconcile.ts), so a run walks every charge since, however many there are.
 */
export const paymentReconcileWatermarks = sqliteTable("payment_reconcile_watermarks", {
  provider: text("provider").primaryKey(),
  /** Every charge created before this (ms) was examined and needs nothing more from reconciliation. */
  reachedAt: integer("reached_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
