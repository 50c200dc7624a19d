/**
 * The per-request context every handler sees: bindings, the typed config, timings, the timed
 * D1/drizzle handle and, once authenticated, the caller. Declared once here so that routers,
 * middleware and handlers share one type.
 */
import type { Config, Env } from "../env";
import type { Database } from "../db/client";
import type { Role } from "../modules/identity/permissions";
import type { ServerTimings } from "./timing";

export interface Caller {
  userId: string;
  role: Role;
  /** The user's token version when the token was signed (compared with D1 on admin routes). */
  tokenVersion: number;
  email?: string;
}

export interface AppVariables {
  requestId: string;
  config: Config;
  timings: ServerTimings;
  db: Database;
  caller: Caller | undefined;
}

export interface AppBindings {
  Bindings: Env;
  Variables: AppVariables;
}
