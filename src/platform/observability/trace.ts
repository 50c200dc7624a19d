/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): parse an inbound `traceparent`, or
 * start a trace, and carry the current span through the async work of a request, a queue message
 * or a cron run with AsyncLocalStorage, so that log lines and outbound calls find it without it
 * being passed through every function. Framework-free: middleware, consumers and Durable Objects
 * open a scope with `runInTrace`.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface TraceContext {
  /** 32 lowercase hex digits, never all zero. */
  traceId: string;
  /** Motor's own span (this request, message or run): 16 hex digits. */
  spanId: string;
  /** The caller's span, when the trace came from outside. */
  parentSpanId?: string;
  /** The W3C `sampled` flag, passed on unchanged. */
  sampled: boolean;
  /** Vendor state (`tracestate`), passed on unchanged. */
  tracestate?: string;
}

// eslint-disable-next-line security/detect-unsafe-regex -- reviewed: fixed-width hex fields; the optional tail is one ".*" at the end
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const MAX_TRACESTATE = 512;

/**
 * Ids come from a pool of random bytes refilled 4 KiB at a time: one getRandomValues call per ~170
 * requests instead of two per request (the call dominated the per-request cost of tracing).
 */
const pool = new Uint8Array(4096);
let poolOffset = pool.length;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  let hex = "";
  for (let index = 0; index < bytes; index++) hex += HEX[pool[poolOffset++]!];
  return hex;
}

export const newSpanId = (): string => randomHex(8);

/**
 * Continues the caller's trace when its `traceparent` is valid, otherwise starts one (a malformed
 * header is ignored, as the spec asks, rather than refused). Version ff and all-zero ids are invalid.
 */
export function continueTrace(traceparent: string | null | undefined, tracestate?: string | null): TraceContext {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  const [, version, traceId, parentSpanId, flags, rest] = match ?? [];
  const valid =
    version !== undefined &&
    version !== "ff" &&
    (version !== "00" || rest === undefined) &&
    traceId !== undefined &&
    !/^0+$/.test(traceId) &&
    parentSpanId !== undefined &&
    !/^0+$/.test(parentSpanId) &&
    flags !== undefined;
  if (!valid) return { traceId: randomHex(16), spanId: newSpanId(), sampled: true };
  const state = tracestate?.trim();
  return {
    traceId,
    spanId: newSpanId(),
    parentSpanId,
    sampled: (parseInt(flags, 16) & 1) === 1,
    ...(state && state.length <= MAX_TRACESTATE ? { tracestate: state } : {}),
  };
}

/** The `traceparent` naming `spanId` (Motor's span by default) as the parent of what comes next. */
export function formatTraceparent(trace: TraceContext, spanId = trace.spanId): string {
  return `00-${trace.traceId}-${spanId}-${trace.sampled ? "01" : "00"}`;
}

const storage = new AsyncLocalStorage<TraceContext>();

export function runInTrace<T>(trace: TraceContext, work: () => T): T {
  return storage.run(trace, work);
}

export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

/** The header value to send on an outbound call or to store in a message; undefined outside a trace. */
export function currentTraceparent(): string | undefined {
  const trace = storage.getStore();
  return trace ? formatTraceparent(trace) : undefined;
}

/** Adds `traceparent` (and `tracestate`) of the current span to outbound headers. */
export function withTraceHeaders(headers: Record<string, string>): Record<string, string> {
  const trace = storage.getStore();
  if (!trace) return headers;
  return {
    ...headers,
    traceparent: formatTraceparent(trace),
    ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
  };
}

/**
 * Sampling by trace id: the same decision for every line of a trace, in every isolate. The last
 * 8 hex digits of a random trace id are uniform over [0, 2³²).
 */
export function sampledIn(traceId: string, rate: number): boolean {
  if (rate >= 1) return true;
  return parseInt(traceId.slice(-8), 16) / 0x1_0000_0000 < rate;
}
