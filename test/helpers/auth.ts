/**
 * Test identities: a real user row in D1 and a real signed access token for it, so tests go
 * through the same verification as production requests.
 */
import { env } from "cloudflare:workers";
import { createDatabase } from "../../src/db/client";
import { users } from "../../src/db/schema";
import { configOf } from "../../src/env";
import type { Role } from "../../src/modules/identity/permissions";
import { signAccessToken } from "../../src/modules/identity/tokens";
import { newId } from "../../src/platform/ids";

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
}

export async function createUser(
  role: Role = "customer",
  overrides: { email?: string; name?: string } = {},
): Promise<TestUser> {
  const id = newId("usr");
  const email = overrides.email ?? `${id.toLowerCase()}@example.test`;
  const now = Date.now();
  await createDatabase(env.DB)
    .insert(users)
    .values({
      id,
      email,
      name: overrides.name ?? `Test ${role}`,
      passwordHash: "pbkdf2-sha256$1$AA==$AA==",
      role,
      createdAt: now,
      updatedAt: now,
    });
  const { accessToken } = await signAccessToken(env, configOf(env), { userId: id, role, tokenVersion: 0, email });
  return { id, email, role, token: accessToken };
}
