/**
 * The HTTP adapter: a JSON email API in the style of Resend (`POST /emails`, bearer API key,
 * `Idempotency-Key` header so the provider drops a duplicate send). Any non-2xx answer or a
 * timeout throws, so the queue retries the job with backoff.
 */
import { assertSendable, type EmailAdapter, type EmailMessage } from "./email.adapter";

export interface HttpEmailOptions {
  apiKey: string;
  from: string;
  endpoint?: string;
  timeoutMs?: number;
}

export const DEFAULT_EMAIL_ENDPOINT = "https://api.resend.com/emails";

export class EmailProviderError extends Error {}

export class HttpEmailAdapter implements EmailAdapter {
  constructor(private readonly options: HttpEmailOptions) {}

  async send(message: EmailMessage): Promise<void> {
    assertSendable(message);
    const response = await fetch(this.options.endpoint ?? DEFAULT_EMAIL_ENDPOINT, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${this.options.apiKey}`,
        "Content-Type": "application/json",
        "Idempotency-Key": message.idempotencyKey,
      },
      body: JSON.stringify({ from: this.options.from, to: [message.to], subject: message.subject, text: message.text, html: message.html }),
      redirect: "manual",
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    // drain the body so the connection is released; its content is only useful in the error
    const detail = (await response.text()).slice(0, 200);
    if (!response.ok) throw new EmailProviderError(`email provider answered ${response.status}: ${detail}`);
  }
}
