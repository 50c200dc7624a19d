/**
 * What each role may see in the console, decided by the server's own tables: roles and their
 * permissions (src/modules/identity/permissions.ts) and the order state machine. Only to hide what
 * a role cannot use — the API checks every call regardless.
 */
import { can, type Permission, type Role } from "../../src/modules/identity/permissions";
import { ALLOWED_TRANSITIONS, MANUAL_TRANSITIONS } from "../../src/modules/orders/order-transitions";

/** Each section needs what its page's endpoint requires (that route's `x-permission`: test/web/permissions.test.ts). */
export const SECTION_PERMISSIONS = {
  orders: "orders:read",
  inventory: "inventory:read",
  products: "catalog:write",
  discounts: "discounts:manage",
  jobs: "jobs:manage",
  emails: "emails:read",
  metrics: "reports:read",
} as const satisfies Record<string, Permission>;

export type Section = keyof typeof SECTION_PERMISSIONS;

export const canUse = (role: Role, section: Section) => can(role, SECTION_PERMISSIONS[section]);

/** The moves the server allows from each status: the server's own table, not a copy. */
export const NEXT_STATUSES: Readonly<Record<string, readonly string[]>> = MANUAL_TRANSITIONS;
export const ORDER_STATUSES = Object.keys(ALLOWED_TRANSITIONS);
