/**
 * One actor's HTTP client: every request carries the actor's `CF-Connecting-IP` (the rate limits
 * are per IP, so actors sharing an address share a budget), and every answer goes to the
 * Recorder. It never throws: a request that gets no answer is an answer with status 0, because a
 * chaos actor must decide what to do next (retry with the same key) instead of dying.
 */
import type { Recorder } from "./recorder";

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when it is not JSON. */
  body: unknown;
  text: string;
  startedAt: number;
  endedAt: number;
}

export interface Call {
  method?: string;
  json?: unknown;
  /** A raw body (hostile requests), sent as is. */
  body?: string;
  headers?: Record<string, string>;
  token?: string;
  /** Idempotency-Key. */
  key?: string;
}

/** Far above any honest answer; a request stuck longer is reported as unanswered. */
const REQUEST_TIMEOUT_MS = 30_000;

export class Client {
  constructor(
    readonly baseUrl: string,
    readonly recorder: Recorder,
    readonly actor: string,
    readonly ip: string,
  ) {}

  async send(path: string, call: Call = {}): Promise<Answer> {
    const method = call.method ?? "GET";
    const headers: Record<string, string> = { "CF-Connecting-IP": this.ip, ...call.headers };
    if (call.json !== undefined) headers["Content-Type"] ??= "application/json";
    if (call.token) headers.Authorization = `Bearer ${call.token}`;
    if (call.key) headers["Idempotency-Key"] = call.key;
    const body = call.json !== undefined ? JSON.stringify(call.json) : call.body;
    const startedAt = Date.now();
    let status = 0;
    let responseHeaders = new Headers();
    let text = "";
    let error: string | undefined;
    try {
      const response = await fetch(this.baseUrl + path, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      text = await response.text();
      status = response.status;
      responseHeaders = response.headers;
    } catch (failure) {
      error = String((failure as { cause?: unknown }).cause ?? failure);
    }
    const endedAt = Date.now();
    const parsed = parse(text);
    this.recorder.record(
      {
        actor: this.actor,
        method,
        path,
        status,
        contentType: responseHeaders.get("content-type"),
        retryAfter: responseHeaders.get("retry-after"),
        text,
        error,
        startedAt,
        endedAt,
      },
      parsed,
    );
    return { status, headers: responseHeaders, body: parsed, text, startedAt, endedAt };
  }
}

function parse(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The answer's `Retry-After` in milliseconds (capped: the run is bounded), or `fallback`. */
export function retryAfterMs(answer: Answer, fallback = 1_000, cap = 10_000): number {
  const seconds = Number(answer.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, cap) : fallback;
}

/** The problem `type`'s last segment (`payment-outcome-unknown`), or "" for a non-problem answer. */
export function problemKind(answer: Answer): string {
  const type = (answer.body as { type?: unknown } | null)?.type;
  return typeof type === "string" ? (type.split("/").pop() ?? "") : "";
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
