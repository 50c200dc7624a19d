/** Users in D1 (drizzle only). Every query is parameterised: hostile strings are stored verbatim. */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { users } from "../../db/schema";
import type { Role } from "./permissions";

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.email, email)).get();
}

export async function findUserById(db: Database, id: string): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function insertUser(db: Database, row: UserRow) {
  return db.insert(users).values(row);
}

export function updatePasswordHash(db: Database, userId: string, passwordHash: string, now: number) {
  return db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
}

export function updateRole(db: Database, userId: string, role: Role, now: number) {
  return db.update(users).set({ role, updatedAt: now }).where(eq(users.id, userId));
}
