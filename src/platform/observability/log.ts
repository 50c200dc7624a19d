/**
 * Motor's structured logger: one JSON object per line (Workers Logs indexes the fields), with a
 * level, the current trace and span ids, and every field redacted (see redact.ts). The minimum
 * level comes from `LOG_LEVEL` and is set by each entry point (request, queue batch, cron run).
 */
import { redactFields } from "./redact";
import { currentTrace } from "./trace";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

let minimum: LogLevel = "info";

/** Env vars are constant per isolate, so entry points set this on every invocation at no cost. */
export function setLogLevel(level: LogLevel): void {
  minimum = level;
}

export function logEnabled(level: LogLevel): boolean {
  return RANK[level] >= RANK[minimum];
}

function write(level: LogLevel, msg: string, fields: Record<string, unknown>): void {
  if (!logEnabled(level)) return;
  const trace = currentTrace();
  const line = JSON.stringify({
    level,
    msg,
    ...(trace ? { traceId: trace.traceId, spanId: trace.spanId } : {}),
    ...redactFields(fields),
  });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export const log = {
  debug: (msg: string, fields: Record<string, unknown> = {}) => write("debug", msg, fields),
  info: (msg: string, fields: Record<string, unknown> = {}) => write("info", msg, fields),
  warn: (msg: string, fields: Record<string, unknown> = {}) => write("warn", msg, fields),
  error: (msg: string, fields: Record<string, unknown> = {}) => write("error", msg, fields),
};
