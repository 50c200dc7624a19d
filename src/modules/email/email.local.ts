/** The local adapter: "sending" is a row in the D1 email outbox, readable by admins. */
import type { Database } from "../../db/client";
import { insertEmail } from "./email.repository";
import { assertSendable, type EmailAdapter, type EmailMessage } from "./email.adapter";

export class LocalEmailAdapter implements EmailAdapter {
  constructor(private readonly db: Database) {}

  async send(message: EmailMessage): Promise<void> {
    assertSendable(message);
    await insertEmail(this.db, message, Date.now());
  }
}
