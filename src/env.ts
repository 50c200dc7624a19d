/**
 * Bindings, variables and secrets of the Worker, and the typed configuration parsed from them once
 * per isolate (env objects are stable for an isolate's lifetime, so a WeakMap caches the parse).
 */
import * as z from "zod";
import type { RateLimiter } from "./durable-objects/rate-limiter";
import type { StockLock } from "./durable-objects/stock-lock";
import type { JobMessage } from "./queues/messages";
import { observabilityConfig } from "./platform/observability/config";
import { LOG_LEVELS } from "./platform/observability/log";

export interface Env {
  DB: D1Database;
  CACHE: KVNamespace;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  STOCK_LOCK: DurableObjectNamespace<StockLock>;
  JOBS: Queue<JobMessage>;
  /**
   * The `motor-web` Worker (wrangler.web.toml): the built storefront and console as static assets (dist/web, see
   * scripts/build-web.mjs).
   */
  ASSETS: Fetcher;
  /** The deployed version (id, tag, timestamp); sent back as the Motor-Version header. */
  CF_VERSION_METADATA?: WorkerVersionMetadata;
  /** Workers Analytics Engine dataset: one data point per request (see docs/observability.md). */
  METRICS?: AnalyticsEngineDataset;
  APP_ENV: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  CORS_ORIGINS: string;
  MAX_BODY_BYTES: string;
  PUBLIC_BASE_URL: string;
  EMAIL_PROVIDER: string;
  /** Sender of outgoing emails, e.g. `Motor <orders@shop.example>`; defaults to a local address. */
  EMAIL_FROM?: string;
  PAYMENT_PROVIDER: string;
  /** `automatic` (default) or `manual`: authorise at checkout, capture at the first fulfillment. */
  PAYMENT_CAPTURE?: string;
  /** Minimum log level: "debug", "info" (every request), "warn" (only 4xx/5xx and problems), "error". */
  LOG_LEVEL?: string;
  /** JSON object overriding observability defaults (budgets, SLOs, breakers, timeouts, sampling). */
  OBSERVABILITY?: string;
  /** Secret: JSON array of private JWKs (ES256, each with a `kid`); the first one signs, all verify. */
  JWT_SIGNING_KEYS: string;
  /**
   * Secret: keys the HMACs that derive one-time secrets from a reference (reset-link tokens from
   * their row id, a refresh token's successor from it), so neither is ever stored in plain text.
   */
  TOKEN_SECRET: string;
  /** Secret: HMAC secret of the built-in test payment provider's webhooks. */
  TEST_PAYMENT_WEBHOOK_SECRET?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  EMAIL_API_KEY?: string;
}

const csv = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

const configSchema = z.object({
  APP_ENV: z.enum(["local", "test", "staging", "production"]).default("local"),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1),
  CORS_ORIGINS: csv,
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_048_576),
  PUBLIC_BASE_URL: z.url(),
  EMAIL_PROVIDER: z.enum(["local", "http"]).default("local"),
  EMAIL_FROM: z.string().min(3).default("Motor <no-reply@motor.local>"),
  PAYMENT_PROVIDER: z.enum(["test", "stripe"]).default("test"),
  /** `manual`: the checkout only authorises; the first fulfillment (or the console) captures (docs/payments.md). */
  PAYMENT_CAPTURE: z.enum(["automatic", "manual"]).default("automatic"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  OBSERVABILITY: observabilityConfig,
});

export type Config = z.infer<typeof configSchema>;

const cache = new WeakMap<object, Config>();

/** Parses the Worker's variables once; a misconfigured deployment fails loudly on its first request. */
export function configOf(env: Env): Config {
  let config = cache.get(env);
  if (!config) {
    config = configSchema.parse(env);
    cache.set(env, config);
  }
  return config;
}

/** Memoises something built from the config (config objects live as long as their isolate). */
export function perConfig<T>(build: (config: Config) => T): (config: Config) => T {
  const built = new WeakMap<Config, T>();
  return (config) => {
    let value = built.get(config);
    if (value === undefined) {
      value = build(config);
      built.set(config, value);
    }
    return value;
  };
}
