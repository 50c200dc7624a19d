import { env } from "cloudflare:workers";
import { createDatabase } from "../../db/client";
import { emailAdapterContract } from "./email-adapter-contract.fixtures";
import { LocalEmailAdapter } from "./email.local";
import { listEmails } from "./email.repository";

const db = () => createDatabase(env.DB);

emailAdapterContract("local", {
  adapter: () => new LocalEmailAdapter(db()),
  delivered: async (to) =>
    (await listEmails(db(), { to, limit: 100 })).map(({ to, subject, text, html }) => ({ to, subject, text, html })),
});
