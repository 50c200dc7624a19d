import * as z from "zod";
import { ROLES } from "./permissions";

export const userIdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "usr_0Fz3…" }),
});
export const changeRoleBodySchema = z
  .object({ role: z.enum(ROLES) })
  .strict()
  .openapi("ChangeRoleRequest");
export type ChangeRoleBody = z.infer<typeof changeRoleBodySchema>;
