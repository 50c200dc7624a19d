/**
 * Readiness: really touches D1, KV and a Durable Object, each with a deadline, and names the
 * ones that fail. No HTTP here.
 */
import type { Env } from "../../env";
import type { ServerTimings } from "../../platform/timing";

export type DependencyName = "d1" | "kv" | "do";
export type DependencyReport = Record<DependencyName, "ok" | "error">;

const PROBE_TIMEOUT_MS = 2_000;

function withDeadline<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("probe timed out")), PROBE_TIMEOUT_MS)),
  ]);
}

export async function checkReadiness(env: Env, timings: ServerTimings): Promise<{ ready: boolean; checks: DependencyReport }> {
  const probes: Record<DependencyName, () => Promise<unknown>> = {
    d1: () => env.DB.prepare("SELECT 1 AS ok").first(),
    kv: () => env.CACHE.get("ready-probe"),
    do: () => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName("ready-probe")).ping(),
  };
  const names = Object.keys(probes) as DependencyName[];
  const outcomes = await Promise.allSettled(names.map((name) => timings.time(name, () => withDeadline(probes[name]()))));
  const checks = Object.fromEntries(
    names.map((name, index) => [name, outcomes[index]?.status === "fulfilled" ? "ok" : "error"]),
  ) as DependencyReport;
  return { ready: Object.values(checks).every((state) => state === "ok"), checks };
}
