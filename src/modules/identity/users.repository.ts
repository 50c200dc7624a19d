/** Users in D1 (drizzle only). Every query is parameterised: hostile strings are stored verbatim. */
import { eq, sql } from "drizzle-orm";
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

/** A role change also bumps the token version: every admin decision sees it at once. */
export function updateRole(db: Database, userId: string, role: Role, now: number) {
  return db
    .update(users)
    .set({ role, tokenVersion: sql`${users.tokenVersion} + 1`, updatedAt: now })
    .where(eq(users.id, userId));
}

/** Invalidates every access token already issued to the user, for the checks that compare it. */
export function bumpTokenVersion(db: Database, userId: string, now: number) {
  return db
    .update(users)
    .set({ tokenVersion: sql`${users.tokenVersion} + 1`, updatedAt: now })
    .where(eq(users.id, userId));
}

/** What an admin decision needs to know about the caller now: one primary-key read of two columns. */
export async function findAuthority(
  db: Database,
  userId: string,
): Promise<Pick<UserRow, "role" | "tokenVersion"> | undefined> {
  return db
    .select({ role: users.role, tokenVersion: users.tokenVersion })
    .from(users)
    .where(eq(users.id, userId))
    .get();
}
