/**
 * What each role may do, mirrored from src/modules/identity/permissions.ts only to hide what a
 * role cannot use — the API checks every call on the server regardless.
 */
import type { Role } from "../shared/session";

export type Section = "orders" | "inventory" | "products" | "discounts" | "jobs" | "emails" | "metrics";

const STAFF: Section[] = ["orders", "inventory", "products", "discounts", "metrics"];
const BY_ROLE: Record<Role, ReadonlySet<Section>> = {
  customer: new Set(),
  staff: new Set(STAFF),
  admin: new Set<Section>([...STAFF, "jobs", "emails"]),
};

export const canUse = (role: Role, section: Section) => BY_ROLE[role].has(section);

/** Next statuses per status, as in src/modules/orders/order-state.ts (the server re-checks). */
export const NEXT_STATUSES: Record<string, string[]> = {
  pending: ["paid", "cancelled"],
  paid: ["fulfilled", "cancelled", "refunded"],
  fulfilled: ["shipped", "refunded"],
  shipped: ["delivered", "refunded"],
  delivered: ["refunded"],
  cancelled: [],
  refunded: [],
};
export const ORDER_STATUSES = Object.keys(NEXT_STATUSES);
