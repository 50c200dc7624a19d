/** Every table, one file per module; drizzle-kit generates migrations/ from this. */
export * from "./identity";
export * from "./catalog";
export * from "./inventory";
export * from "./tax";
export * from "./jobs";
