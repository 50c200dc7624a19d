/**
 * Retries with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): the n-th
 * wait is uniform in [0, min(cap, base · 2ⁿ)], which spreads a crowd of retrying clients out.
 * Only for idempotent calls (an Idempotency-Key the provider honours): a retried non-idempotent
 * call could act twice.
 */
import { sleep as wait } from "../sleep";

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  capMs: number;
  /** Whether this failure may succeed on a new attempt (timeouts, 5xx), not a refusal (4xx). */
  retryable: (error: unknown) => boolean;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function fullJitterDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

export async function retryIdempotent<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? wait;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt + 1 >= options.attempts || !options.retryable(error)) throw error;
      await sleep(fullJitterDelay(attempt, options.baseMs, options.capMs, options.random));
    }
  }
}
