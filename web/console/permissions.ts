/**
 * What each role may do, mirrored from src/modules/identity/permissions.ts only to hide what a
 * role cannot use — the API checks every call on the server regardless.
 */
import { ALLOWED_TRANSITIONS, MANUAL_TRANSITIONS } from "../../src/modules/orders/order-transitions";
import type { Role } from "../shared/session";

export type Section = "orders" | "inventory" | "products" | "discounts" | "jobs" | "emails" | "metrics";

const STAFF: Section[] = ["orders", "inventory", "products", "discounts", "metrics"];
const BY_ROLE: Record<Role, ReadonlySet<Section>> = {
  customer: new Set(),
  staff: new Set(STAFF),
  admin: new Set<Section>([...STAFF, "jobs", "emails"]),
};

export const canUse = (role: Role, section: Section) => BY_ROLE[role].has(section);

/** The moves the server allows from each status: the server's own table, not a copy. */
export const NEXT_STATUSES: Readonly<Record<string, readonly string[]>> = MANUAL_TRANSITIONS;
export const ORDER_STATUSES = Object.keys(ALLOWED_TRANSITIONS);
