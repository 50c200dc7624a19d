/**
 * Carts: the buyer's choices and their lines (quantities only — prices always come from the
 * catalog). Shipping and discounts, which price a cart, have their own files.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export interface ShippingAddress {
  country: string;
  region?: string;
  postalCode: string;
  city: string;
  line1: string;
  line2?: string;
  /** The recipient. */
  name?: string;
  company?: string;
  /** E.164 (normalised from a lenient international input, see docs/pricing.md). */
  phone?: string;
}

export const carts = sqliteTable(
  "carts",
  {
    id: text("id").primaryKey(),
    /** null = anonymous: the unguessable id is the only credential. */
    userId: text("user_id"),
    status: text("status", { enum: ["open", "checked_out"] })
      .notNull()
      .default("open"),
    currency: text("currency").notNull(),
    /** Destination country (ISO 3166-1 alpha-2); the shipping address's country once one is set. */
    country: text("country"),
    email: text("email"),
    shippingAddress: text("shipping_address", { mode: "json" }).$type<ShippingAddress>(),
    billingAddress: text("billing_address", { mode: "json" }).$type<ShippingAddress>(),
    /** The buyer's choice; null = the cheapest option that fits applies. */
    shippingOptionId: text("shipping_option_id"),
    discountCode: text("discount_code"),
    createdAt: integer("created_at").notNull(),
    /** Last write; a cart idle for CART_TTL_HOURS is expired. */
    updatedAt: integer("updated_at").notNull(),
  },
  // "the user's open cart" (claim/merge) and the expiry sweep
  (table) => [
    index("carts_user_idx").on(table.userId, table.status, table.updatedAt),
    index("carts_updated_idx").on(table.updatedAt),
  ],
);

export const cartItems = sqliteTable(
  "cart_items",
  {
    cartId: text("cart_id")
      .notNull()
      .references(() => carts.id, { onDelete: "cascade" }),
    sku: text("sku").notNull(),
    quantity: integer("quantity").notNull(),
    addedAt: integer("added_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.cartId, table.sku] })],
);
