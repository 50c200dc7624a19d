/**
 * The `slo.burning` alert: when a request counted against an SLO (a 5xx, or an answer over budget)
 * leaves the isolate's 1 h and 6 h burn rates above the fast-burn thresholds, one event goes
 * through the outbox, so merchant webhooks (or an email consumer) can page someone. Its id is
 * derived from the SLO and the hour, so every isolate that notices the same burn writes the same
 * row: at most one event per SLO per hour, fleet-wide. Only bad requests pay for the check.
 */
import { createDatabase } from "../../db/client";
import type { Config, Env } from "../../env";
import { log } from "../../platform/observability/log";
import { isolateSlo, type Objective, type SloStatus } from "../../platform/observability/slo";
import { currentTraceparent } from "../../platform/observability/trace";
import { outboxInsert } from "../jobs/outbox";
import { flushOutbox } from "../jobs/relay";

const OBJECTIVES: readonly Objective[] = ["availability", "latency"];
/** Ids this isolate already wrote (a few per hour); forgotten wholesale past a bound, the row id dedupes anyway. */
const emitted = new Set<string>();
const MAX_REMEMBERED = 256;

export function sloBurningEventId(group: string, objective: Objective, now: number): string {
  return `evt_slo_${group}_${objective}_${Math.floor(now / 3_600_000)}`;
}

export function alertOnFastBurn(
  env: Env,
  config: Config,
  group: string,
  waitUntil: (work: Promise<unknown>) => void,
  now = Date.now(),
): void {
  const settings = config.OBSERVABILITY;
  const groupConfig = settings.routeGroups.find((candidate) => candidate.name === group);
  if (!groupConfig) return;
  for (const objective of OBJECTIVES) {
    const id = sloBurningEventId(group, objective, now);
    if (emitted.has(id)) continue;
    const status = isolateSlo.status(group, objective, groupConfig[objective], settings.slo);
    if (!status.fastBurn) continue;
    if (emitted.size >= MAX_REMEMBERED) emitted.clear();
    emitted.add(id);
    waitUntil(emit(env, id, group, objective, status, now));
  }
}

async function emit(
  env: Env,
  id: string,
  group: string,
  objective: Objective,
  status: SloStatus,
  now: number,
): Promise<void> {
  log.warn("slo.burning", {
    slo: `${group}.${objective}`,
    burnRate1h: status.burnRate1h,
    burnRate6h: status.burnRate6h,
  });
  try {
    const event = {
      id,
      type: "slo.burning",
      version: 1,
      occurredAt: now,
      traceparent: currentTraceparent(),
      data: { slo: `${group}.${objective}`, group, objective, scope: "isolate", ...status },
    };
    await outboxInsert(createDatabase(env.DB), event).onConflictDoNothing();
    await flushOutbox(env);
  } catch (error) {
    emitted.delete(id); // the next bad request tries again
    log.error("slo.burning event not written", { id, error });
  }
}
