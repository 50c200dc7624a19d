/**
 * Readiness: really touches D1, KV and a Durable Object, each with a deadline, and names the
 * ones that fail, beside the circuit breakers that are not closed. Only D1 failing makes the
 * service unavailable (503): nothing works without it. A failing KV (a cache) or Durable Object,
 * or an open breaker (payment, email, a webhook destination), makes it "degraded" — still 200, so
 * a load balancer keeps sending traffic that the rest of the service can answer. No HTTP here.
 */
import type { Config, Env } from "../../env";
import { breakersOf } from "../../platform/resilience/breakers";
import type { BreakerState } from "../../platform/resilience/circuit-breaker";
import type { ServerTimings } from "../../platform/timing";

export type DependencyName = "d1" | "kv" | "do";
export type DependencyReport = Record<DependencyName, "ok" | "error">;

export interface Readiness {
  status: "ready" | "degraded" | "unavailable";
  checks: DependencyReport;
  /** Breakers that are open or half-open, by name (`payment:stripe`, `email`, `webhook:whk_…`). */
  breakers: Record<string, BreakerState>;
  /** Every dependency that is failing but does not stop the service. */
  degraded: string[];
}

const PROBE_TIMEOUT_MS = 2_000;
const ESSENTIAL: readonly DependencyName[] = ["d1"];

function withDeadline<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("probe timed out")), PROBE_TIMEOUT_MS)),
  ]);
}

export async function checkReadiness(env: Env, config: Config, timings: ServerTimings): Promise<Readiness> {
  const probes: Record<DependencyName, () => Promise<unknown>> = {
    d1: () => env.DB.prepare("SELECT 1 AS ok").first(),
    kv: () => env.CACHE.get("ready-probe"),
    do: () => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName("ready-probe")).ping(),
  };
  const names = Object.keys(probes) as DependencyName[];
  const outcomes = await Promise.allSettled(
    names.map((name) => timings.time(name, () => withDeadline(probes[name]()))),
  );
  const checks = Object.fromEntries(
    names.map((name, index) => [name, outcomes[index]?.status === "fulfilled" ? "ok" : "error"]),
  ) as DependencyReport;
  const breakers = breakersOf(config).notClosed();
  const failing = names.filter((name) => checks[name] === "error");
  const degraded = [...failing.filter((name) => !ESSENTIAL.includes(name)), ...Object.keys(breakers)];
  const status = failing.some((name) => ESSENTIAL.includes(name))
    ? "unavailable"
    : degraded.length > 0
      ? "degraded"
      : "ready";
  return { status, checks, breakers, degraded };
}
