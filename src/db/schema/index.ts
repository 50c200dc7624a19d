/** Every table, one file per module; drizzle-kit generates migrations/ from this. */
export * from "./identity";
export * from "./catalog";
export * from "./inventory";
export * from "./tax";
export * from "./jobs";
export * from "./email";
export * from "./webhooks";
export * from "./reports";
export * from "./payments";
export * from "./orders";
export * from "./idempotency";
export * from "./cart";
export * from "./shipping";
export * from "./discounts";
export * from "./customers";
