/** Catalog tables: products, their variants (one SKU each), per-currency prices and categories. */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const categories = sqliteTable("categories", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  parentId: text("parent_id"),
  position: integer("position").notNull().default(0),
});

export const products = sqliteTable(
  "products",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: ["draft", "active", "archived"] }).notNull().default("draft"),
    images: text("images", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // the public list is "active products in id order" (keyset pagination on id)
  (table) => [index("products_status_id_idx").on(table.status, table.id)],
);

export const variants = sqliteTable(
  "variants",
  {
    sku: text("sku").primaryKey(),
    productId: text("product_id").notNull().references(() => products.id),
    title: text("title").notNull(),
    options: text("options", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    weightGrams: integer("weight_grams").notNull().default(0),
    position: integer("position").notNull().default(0),
    status: text("status", { enum: ["active", "archived"] }).notNull().default("active"),
  },
  // variants are always loaded for a page of products at once
  (table) => [index("variants_product_idx").on(table.productId, table.position)],
);

export const prices = sqliteTable(
  "prices",
  {
    sku: text("sku").notNull().references(() => variants.sku),
    currency: text("currency").notNull(),
    amount: integer("amount").notNull(),
  },
  (table) => [primaryKey({ columns: [table.sku, table.currency] })],
);

export const productCategories = sqliteTable(
  "product_categories",
  {
    productId: text("product_id").notNull().references(() => products.id),
    categoryId: text("category_id").notNull().references(() => categories.id),
  },
  // the PK serves "categories of these products"; the index serves "products in this category"
  (table) => [primaryKey({ columns: [table.productId, table.categoryId] }), index("product_categories_category_idx").on(table.categoryId, table.productId)],
);
