/** Picks the email adapter from the configuration (EMAIL_PROVIDER, EMAIL_FROM, EMAIL_API_KEY). */
import { createDatabase } from "../../db/client";
import { configOf, type Env } from "../../env";
import type { EmailAdapter } from "./email.adapter";
import { HttpEmailAdapter } from "./email.http";
import { LocalEmailAdapter } from "./email.local";

export function emailAdapterFor(env: Env): EmailAdapter {
  const config = configOf(env);
  if (config.EMAIL_PROVIDER === "local") return new LocalEmailAdapter(createDatabase(env.DB));
  if (!env.EMAIL_API_KEY) throw new Error("EMAIL_PROVIDER=http needs the EMAIL_API_KEY secret");
  // the default sender is a local address: a real provider needs a sender of the shop's domain
  if (!env.EMAIL_FROM) throw new Error("EMAIL_PROVIDER=http needs the EMAIL_FROM variable");
  return new HttpEmailAdapter({ apiKey: env.EMAIL_API_KEY, from: config.EMAIL_FROM });
}
