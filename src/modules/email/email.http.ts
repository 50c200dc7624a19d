/**
 * The HTTP adapter: a JSON email API in the style of Resend (`POST /emails`, bearer API key,
 * `Idempotency-Key` header so the provider drops a duplicate send). The key makes the call
 * idempotent, so a timeout, a network failure or a 5xx is retried at once (full jitter, a few
 * times); a 4xx is not. What still fails throws, and the queue retries the job with backoff.
 * Each call carries the current `traceparent`.
 */
import { withTraceHeaders } from "../../platform/observability/trace";
import { retryIdempotent, type RetryOptions } from "../../platform/resilience/retry";
import { assertSendable, type EmailAdapter, type EmailMessage } from "./email.adapter";

export interface HttpEmailOptions {
  apiKey: string;
  from: string;
  endpoint?: string;
  timeoutMs?: number;
  retry?: Pick<RetryOptions, "attempts" | "baseMs" | "capMs">;
}

export const DEFAULT_EMAIL_ENDPOINT = "https://api.resend.com/emails";

export class EmailProviderError extends Error {
  constructor(
    message: string,
    /** A timeout, a network failure or a 5xx: the provider may answer on a new attempt. */
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export class HttpEmailAdapter implements EmailAdapter {
  constructor(private readonly options: HttpEmailOptions) {}

  async send(message: EmailMessage): Promise<void> {
    assertSendable(message);
    const retry = this.options.retry ?? { attempts: 1, baseMs: 0, capMs: 0 };
    await retryIdempotent(() => this.post(message), {
      ...retry,
      retryable: (error) => error instanceof EmailProviderError && error.transient,
    });
  }

  private async post(message: EmailMessage): Promise<void> {
    let response: Response;
    try {
      response = await this.fetch(message);
    } catch (error) {
      throw new EmailProviderError(`email provider unreachable: ${String(error).slice(0, 200)}`, true);
    }
    // drain the body so the connection is released; its content is only useful in the error
    const detail = (await response.text()).slice(0, 200);
    if (!response.ok)
      throw new EmailProviderError(
        `email provider answered ${response.status}: ${detail}`,
        response.status >= 500 || response.status === 429,
      );
  }

  private fetch(message: EmailMessage): Promise<Response> {
    return fetch(this.options.endpoint ?? DEFAULT_EMAIL_ENDPOINT, {
      method: "POST",
      headers: withTraceHeaders({
        Authorization: `Bearer ${this.options.apiKey}`,
        "Content-Type": "application/json",
        "Idempotency-Key": message.idempotencyKey,
      }),
      body: JSON.stringify({
        from: this.options.from,
        to: [message.to],
        subject: message.subject,
        text: message.text,
        html: message.html,
      }),
      redirect: "manual",
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
  }
}
