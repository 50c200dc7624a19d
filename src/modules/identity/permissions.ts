/**
 * Roles map to named permissions; routes check permissions, never roles, so a new role is one
 * line here. Checked on the server only (a client-side role means nothing).
 */
export const ROLES = ["customer", "staff", "admin"] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | "catalog:write"
  | "inventory:read"
  | "inventory:write"
  | "inventory:shard"
  | "orders:read"
  | "orders:manage"
  | "users:manage"
  | "audit:read"
  | "jobs:manage"
  | "reports:read"
  | "emails:read"
  | "webhooks:manage"
  | "payments:read"
  | "payments:reconcile"
  | "customers:read"
  | "discounts:manage"
  | "shipping:manage"
  | "tax:manage";

const STAFF: Permission[] = [
  "catalog:write",
  "inventory:read",
  "inventory:write",
  "orders:read",
  "orders:manage",
  "reports:read",
  "customers:read",
  "discounts:manage",
];

export const PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  customer: new Set(),
  staff: new Set(STAFF),
  // shipping and tax settings change every cart's totals at once, and shards split a SKU's stock: admins only;
  // running reconciliation by hand refunds orphan charges, so it is more than payments:read
  admin: new Set<Permission>([
    ...STAFF,
    "inventory:shard",
    "users:manage",
    "audit:read",
    "jobs:manage",
    "emails:read",
    "webhooks:manage",
    "payments:read",
    "payments:reconcile",
    "shipping:manage",
    "tax:manage",
  ]),
};

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].has(permission);
}
