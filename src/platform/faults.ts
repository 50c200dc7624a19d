/**
 * Test-only fault injection at named points of a money path, armed for ONE request:
 * - a crash (`after_charge`, …) throws `SimulatedCrash`, which no step catches or compensates:
 *   what is durable at that point is all the next attempt (a retry, the sweep, reconciliation)
 *   has, exactly as after a real isolate death;
 * - an outage (`fail:order_batch`) throws an ordinary error where a dependency would, once.
 * Refused outside APP_ENV `local`/`test` (a production request naming a fault is a 403), so it can
 * never be armed in production.
 */
import { ForbiddenError, ValidationError } from "./errors";

export const CRASH_POINTS = [
  "after_reserve",
  "after_charge",
  "after_move:charging",
  "after_move:charged",
  "after_move:compensating",
  "after_order_batch",
  "after_commit",
  "mid_compensation",
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export const OUTAGE_POINTS = ["fail:order_batch"] as const;
export type OutagePoint = (typeof OUTAGE_POINTS)[number];
export type FaultPoint = CrashPoint | OutagePoint;
const FAULT_POINTS: readonly FaultPoint[] = [...CRASH_POINTS, ...OUTAGE_POINTS];

/** The request header that arms one fault for one request (local and test only). */
export const FAULT_HEADER = "Motor-Test-Fault";

export class SimulatedCrash extends Error {
  constructor(readonly point: CrashPoint) {
    super(`simulated crash at ${point}`);
  }
}

export interface Faults {
  /** Throws SimulatedCrash the first time `point` is reached, if it is the armed one. */
  crash(point: CrashPoint): void;
  /** Throws a dependency error the first time `point` is reached, if it is the armed one. */
  fail(point: OutagePoint): void;
}

export const isSimulatedCrash = (error: unknown): error is SimulatedCrash => error instanceof SimulatedCrash;

export function armFault(point: FaultPoint): Faults {
  let armed = true;
  const fire = (at: FaultPoint, error: () => Error) => {
    if (armed && at === point) {
      armed = false;
      throw error();
    }
  };
  return {
    crash: (at) => fire(at, () => new SimulatedCrash(at)),
    fail: (at) => fire(at, () => new Error(`D1_ERROR: simulated outage at ${at}`)),
  };
}

/**
 * The test knob beside the faults: `Motor-Test-Capture: manual|automatic` makes one checkout capture
 * other than PAYMENT_CAPTURE says, so one test run (the chaos block) mixes both. Local and test only.
 */
export const CAPTURE_HEADER = "Motor-Test-Capture";

export function captureOverride(appEnv: string, header: string | undefined): "automatic" | "manual" | undefined {
  if (header === undefined) return undefined;
  if (appEnv !== "local" && appEnv !== "test")
    throw new ForbiddenError({ detail: `${CAPTURE_HEADER} is refused outside local and test deployments` });
  if (header !== "manual" && header !== "automatic")
    throw new ValidationError({
      detail: `${CAPTURE_HEADER} must be manual or automatic`,
      errors: [{ path: `headers.${CAPTURE_HEADER}`, message: "manual or automatic" }],
    });
  return header;
}

/** Parses the fault header; refused unless the deployment is local or a test run. */
export function faultsFromHeader(appEnv: string, header: string | undefined): Faults | undefined {
  if (header === undefined) return undefined;
  if (appEnv !== "local" && appEnv !== "test")
    throw new ForbiddenError({ detail: `${FAULT_HEADER} is refused outside local and test deployments` });
  const point = FAULT_POINTS.find((known) => known === header);
  if (!point)
    throw new ValidationError({
      detail: `${FAULT_HEADER} must be one of ${FAULT_POINTS.join(", ")}`,
      errors: [{ path: `headers.${FAULT_HEADER}`, message: "unknown fault point" }],
    });
  return armFault(point);
}
