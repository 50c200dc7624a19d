/**
 * Email adapters: `local` writes to the D1 outbox that admins read at GET /v1/admin/emails;
 * `http` posts to a JSON email API (Resend-style). Both refuse the same bad messages (checked here
 * once) and both honour an idempotency key so a redelivered job sends one email.
 */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Same key, same email: a retried send must not deliver twice. */
  idempotencyKey: string;
}

export interface EmailAdapter {
  send(message: EmailMessage): Promise<void>;
}

export class InvalidEmailError extends Error {}

const EMAIL_ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;
const MAX_SUBJECT_LENGTH = 200;

/** Refuses what no adapter should send: a bad recipient, or a subject able to inject headers. */
export function assertSendable(message: EmailMessage): void {
  if (message.to.length > 254 || !EMAIL_ADDRESS.test(message.to))
    throw new InvalidEmailError("invalid recipient address");
  if (/[\r\n]/.test(message.subject) || message.subject.length > MAX_SUBJECT_LENGTH)
    throw new InvalidEmailError("invalid subject");
  if (message.idempotencyKey.length === 0) throw new InvalidEmailError("missing idempotency key");
}
