/**
 * Observability settings, in one place: route groups with their latency budget and SLOs, the
 * maximum share of a budget each dependency may take, circuit breaker thresholds, outbound
 * timeouts and retries, and success-log sampling. Every key has a default; a deployment overrides
 * any top-level key with the `OBSERVABILITY` variable (a JSON object), e.g.
 * `OBSERVABILITY = '{"breaker":{"failureThreshold":3,"openMs":10000}}'`. See docs/observability.md.
 */
import * as z from "zod";

const ratio = z.number().gt(0).lt(1);

const routeGroup = z.object({
  name: z.string().min(1).max(40),
  /** Route patterns (`/v1/products/:idOrSlug`) starting with one of these belong to the group. */
  prefixes: z.array(z.string().startsWith("/")).min(1),
  budgetMs: z.number().nonnegative(),
  /** SLOs: share of non-5xx answers, and share of answers within the budget (0.95 = "p95 within budget"). */
  availability: ratio.default(0.999),
  latency: ratio.default(0.95),
});
export type RouteGroup = z.infer<typeof routeGroup>;

const DEFAULT_GROUPS: z.input<typeof routeGroup>[] = [
  { name: "checkout", prefixes: ["/v1/checkout"], budgetMs: 300 },
  { name: "cart", prefixes: ["/v1/carts"], budgetMs: 100 },
  { name: "catalog", prefixes: ["/v1/products", "/v1/categories"], budgetMs: 50 },
  { name: "orders", prefixes: ["/v1/orders"], budgetMs: 150 },
  // password hashing is deliberately slow (PBKDF2): the budget says so
  { name: "auth", prefixes: ["/v1/auth", "/v1/me", "/.well-known"], budgetMs: 500, availability: 0.995 },
  { name: "payment-webhooks", prefixes: ["/v1/webhooks"], budgetMs: 200 },
  { name: "admin", prefixes: ["/v1/admin"], budgetMs: 500, availability: 0.99, latency: 0.9 },
  { name: "system", prefixes: ["/health", "/ready"], budgetMs: 50, availability: 0.999 },
];

export const observabilitySchema = z
  .object({
    routeGroups: z.array(routeGroup).min(1).prefault(DEFAULT_GROUPS),
    /** Budget of routes no group claims. */
    defaultBudgetMs: z.number().nonnegative().default(200),
    /** Maximum share of a route's budget each dependency may take (D1 ≤ 40 %). */
    dependencyShares: z.record(z.string(), z.number().gt(0).max(1)).default({ d1: 0.4 }),
    slo: z
      .object({
        /** SRE workbook page thresholds: burn ≥ 14.4 over 1 h spends 2 % of a 30-day budget. */
        fastBurn1h: z.number().positive().default(14.4),
        fastBurn6h: z.number().positive().default(6),
        /** Too few requests say nothing: no burn alert below this many in the 1 h window. */
        minRequests: z.number().int().nonnegative().default(20),
      })
      .prefault({}),
    breaker: z
      .object({
        /** Consecutive failures that open a closed breaker. */
        failureThreshold: z.number().int().positive().default(5),
        /** How long an open breaker refuses calls before it lets one trial through (half-open). */
        openMs: z.number().int().positive().default(30_000),
        /**
         * Distinct clients among those failures before a breaker that serves clients (the payment
         * provider's) opens: one client's own failures must not refuse every other buyer.
         */
        minClients: z.number().int().positive().default(3),
      })
      .prefault({}),
    timeouts: z
      .object({
        paymentMs: z.number().int().positive().default(8_000),
        emailMs: z.number().int().positive().default(5_000),
        webhookMs: z.number().int().positive().default(10_000),
      })
      .prefault({}),
    /** Retries of idempotent outbound calls (full jitter between attempts). */
    retry: z
      .object({
        attempts: z.number().int().min(1).max(5).default(3),
        baseMs: z.number().int().nonnegative().default(50),
        capMs: z.number().int().nonnegative().default(1_000),
      })
      .prefault({}),
    /** Share of successful requests whose log line is written (errors and budget breaches always are). */
    successLogSampleRate: z.number().min(0).max(1).default(1),
  })
  .strict();

export type ObservabilityConfig = z.infer<typeof observabilitySchema>;

/** Parses the `OBSERVABILITY` variable (JSON) over the defaults. */
export const observabilityConfig = z
  .string()
  .optional()
  .transform((text, context) => {
    if (!text) return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: "OBSERVABILITY must be a JSON object" });
      return z.NEVER;
    }
  })
  .pipe(observabilitySchema);
