/** Role changes by admins: one batch with the audit row and the revocation of the user's sessions. */
import { auditInsert } from "../audit/audit.service";
import { NotFoundError, UnprocessableError } from "../../platform/errors";
import type { UserView } from "./identity.schemas";
import type { Role } from "./permissions";
import { revokeAllOfUser } from "./refresh-tokens.repository";
import { toUserView, type IdentityContext } from "./sessions";
import { findUserById, updateRole } from "./users.repository";

export async function changeRole(
  context: IdentityContext,
  actorId: string,
  userId: string,
  role: Role,
): Promise<UserView> {
  const { db, origin } = context;
  // an admin demoting themselves could leave the shop with no admin at all
  if (actorId === userId) throw new UnprocessableError({ detail: "You cannot change your own role" });
  const user = await findUserById(db, userId);
  if (!user) throw new NotFoundError({ detail: "No such user" });
  if (user.role === role) return toUserView(user);
  const now = Date.now();
  await db.batch([
    updateRole(db, userId, role, now),
    // refresh re-reads the role anyway; revoking makes the change bite at the next refresh at the latest
    revokeAllOfUser(db, userId, now),
    auditInsert(db, origin, {
      action: "users.role_changed",
      actorId,
      subject: userId,
      details: { from: user.role, to: role },
    }),
  ]);
  return toUserView({ ...user, role });
}
