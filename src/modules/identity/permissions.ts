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
  | "orders:read"
  | "orders:manage"
  | "users:manage"
  | "audit:read"
  | "jobs:manage"
  | "reports:read"
  | "emails:read"
  | "webhooks:manage"
  | "payments:read";

const STAFF: Permission[] = ["catalog:write", "inventory:read", "inventory:write", "orders:read", "orders:manage", "reports:read"];

export const PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  customer: new Set(),
  staff: new Set(STAFF),
  admin: new Set<Permission>([...STAFF, "users:manage", "audit:read", "jobs:manage", "emails:read", "webhooks:manage", "payments:read"]),
};

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].has(permission);
}
