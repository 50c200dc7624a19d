/** Admin contract: change a user's role (`users:manage`). */
import { jsonBody, jsonContent, problems } from "../../platform/openapi";
import { adminRoute } from "./admin-route";
import { changeRoleBodySchema, userIdParamSchema } from "./admin-users.schemas";
import { userSchema } from "./identity.schemas";

export const changeRole = adminRoute("users:manage", {
  method: "patch",
  path: "/v1/admin/users/{id}/role",
  tags: ["admin"],
  summary: "Change a user's role",
  description:
    "Audited. Revokes the user's refresh families and bumps their token version: a staff or admin " +
    "access token already issued is refused at once (401); new tokens carry the new role.",
  request: { params: userIdParamSchema, body: jsonBody(changeRoleBodySchema) },
  responses: { 200: jsonContent(userSchema, "The user with the new role"), ...problems(400, 401, 403, 404, 415, 422) },
});
