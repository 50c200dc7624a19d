/**
 * Service level objectives per route group: availability (share of non-5xx answers) and latency
 * (share of answers within the group's budget). Each isolate counts requests in one-minute buckets
 * over the last 6 hours (a ring of 360 slots per group: O(1) per request, constant memory), which
 * gives the 1 h and 6 h windows of the SRE workbook's multi-window burn-rate alert.
 */
export const WINDOW_MINUTES = { h1: 60, h6: 360 } as const;
const SLOTS = WINDOW_MINUTES.h6;
const MAX_GROUPS = 64;

export type Objective = "availability" | "latency";

export interface WindowCounts {
  total: number;
  bad: number;
}

export interface SloStatus {
  target: number;
  /** Good / total over the 6 h window (1 when nothing was served). */
  attainment: number;
  /** 1 − (bad share ÷ allowed bad share) over the 6 h window; negative once the budget is overspent. */
  errorBudgetRemaining: number;
  burnRate1h: number;
  burnRate6h: number;
  requests1h: number;
  requests6h: number;
  fastBurn: boolean;
}

export interface BurnThresholds {
  fastBurn1h: number;
  fastBurn6h: number;
  minRequests: number;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** How fast the error budget burns: 1 = exactly at the target's allowed error rate. */
export function burnRate(window: WindowCounts, target: number): number {
  return window.total === 0 ? 0 : window.bad / window.total / (1 - target);
}

/** The arithmetic of one SLO over fixed counts (pure: tested on fixed inputs). */
export function sloStatus(target: number, h1: WindowCounts, h6: WindowCounts, thresholds: BurnThresholds): SloStatus {
  const badShare = h6.total === 0 ? 0 : h6.bad / h6.total;
  const burnRate1h = burnRate(h1, target);
  const burnRate6h = burnRate(h6, target);
  return {
    target,
    attainment: round(1 - badShare),
    errorBudgetRemaining: round(1 - badShare / (1 - target)),
    burnRate1h: round(burnRate1h),
    burnRate6h: round(burnRate6h),
    requests1h: h1.total,
    requests6h: h6.total,
    fastBurn:
      h1.total >= thresholds.minRequests && burnRate1h >= thresholds.fastBurn1h && burnRate6h >= thresholds.fastBurn6h,
  };
}

class GroupCounters {
  readonly minute = new Float64Array(SLOTS).fill(-1);
  readonly total = new Uint32Array(SLOTS);
  readonly errors = new Uint32Array(SLOTS);
  readonly slow = new Uint32Array(SLOTS);

  record(minute: number, error: boolean, slow: boolean): void {
    const slot = minute % SLOTS;
    if (this.minute[slot] !== minute) {
      this.minute[slot] = minute;
      this.total[slot] = 0;
      this.errors[slot] = 0;
      this.slow[slot] = 0;
    }
    this.total[slot]! += 1;
    if (error) this.errors[slot]! += 1;
    if (slow) this.slow[slot]! += 1;
  }

  window(nowMinute: number, minutes: number, objective: Objective): WindowCounts {
    const bad = objective === "availability" ? this.errors : this.slow;
    const counts = { total: 0, bad: 0 };
    for (let slot = 0; slot < SLOTS; slot++) {
      const minute = this.minute[slot]!;
      if (minute > nowMinute - minutes && minute <= nowMinute) {
        counts.total += this.total[slot]!;
        counts.bad += bad[slot]!;
      }
    }
    return counts;
  }
}

export class SloRecorder {
  private readonly groups = new Map<string, GroupCounters>();

  constructor(private readonly now: () => number = Date.now) {}

  /** `error` = answered 5xx; `slow` = over the group's latency budget. */
  record(group: string, error: boolean, slow: boolean): void {
    let counters = this.groups.get(group);
    if (!counters) {
      if (this.groups.size >= MAX_GROUPS) return;
      this.groups.set(group, (counters = new GroupCounters()));
    }
    counters.record(Math.floor(this.now() / 60_000), error, slow);
  }

  status(group: string, objective: Objective, target: number, thresholds: BurnThresholds): SloStatus {
    const counters = this.groups.get(group);
    const nowMinute = Math.floor(this.now() / 60_000);
    const empty = { total: 0, bad: 0 };
    const h1 = counters?.window(nowMinute, WINDOW_MINUTES.h1, objective) ?? empty;
    const h6 = counters?.window(nowMinute, WINDOW_MINUTES.h6, objective) ?? empty;
    return sloStatus(target, h1, h6, thresholds);
  }
}

/** The isolate's SLO counters, fed by the request telemetry middleware. */
export const isolateSlo = new SloRecorder();
