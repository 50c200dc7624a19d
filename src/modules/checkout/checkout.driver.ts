/**
 * Runs a checkout through its lifecycle table (checkout.lifecycle.ts) from whatever state is durable:
 * the request, its retry and the sweep all call `driveCheckout`. Each move is a compare-and-set that
 * stores what later steps need; when nothing more can be done now, the row is left for the sweep with
 * a backoff of its own. One fold saves a round trip: the move into `charged` rides in the order batch
 * of the `charged` step (docs/checkout.md, "Round trips of the happy path").
 */
import type { AppError } from "../../platform/errors";
import { isSimulatedCrash, type CrashPoint } from "../../platform/faults";
import type { OrderView } from "../orders/orders.schemas";
import { nextState, type Outcome } from "./checkout.lifecycle";
import { deadlineOf, MAX_BACKOFF_MS, STUCK_AFTER_MS } from "./checkout.policy";
import { deferCheckout, findCheckout, moveCheckout, type CheckoutFacts, type CheckoutRow } from "./checkout.repository";
import { commitCheckoutStock, STEPS, type CheckoutDeps, type StepContext } from "./checkout.steps";
import { log } from "../../platform/observability/log";

/** More than the longest path through the table (reserve, charge, order, commit; or a compensation). */
const MAX_STEPS = 8;

export interface DriveResult {
  checkout: CheckoutRow;
  /** The outcome the run stopped on. */
  last: Outcome | undefined;
  /** The failure that sent the checkout to compensation, when this run saw it. */
  cause: AppError | undefined;
  /** The order, when this run wrote it. */
  order: OrderView | undefined;
}

/** The sweep looks at a row again after this; it doubles per fruitless attempt, up to an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(STUCK_AFTER_MS * 2 ** Math.min(attempts, 10), MAX_BACKOFF_MS);
}

function factsOf(outcome: Outcome): CheckoutFacts {
  if (outcome.kind === "charged") return { paymentId: outcome.paymentId };
  if (outcome.kind === "action_required") return { nextAction: outcome.action };
  if (outcome.kind === "free") return { paymentId: null };
  if ("error" in outcome)
    return {
      failure: `${outcome.error.status} ${outcome.error.slug}: ${outcome.error.detail ?? outcome.error.title}`.slice(
        0,
        500,
      ),
    };
  return {};
}

export async function driveCheckout(
  deps: CheckoutDeps,
  start: CheckoutRow,
  context: StepContext,
): Promise<DriveResult> {
  const now = deps.now ?? Date.now;
  let checkout = start;
  let last: Outcome | undefined;
  let cause: AppError | undefined;
  let order: OrderView | undefined;
  /** The outcome of the `charged` step, already known from a folded order batch that failed. */
  let known: Outcome | undefined;
  for (let step = 0; step < MAX_STEPS; step++) {
    const { state } = checkout;
    if (state === "compensated") break;
    if (state === "completed") {
      if (checkout.stockCommittedAt === null) await commitAfterAnswer(deps, checkout, context);
      break;
    }
    last = known ?? (await STEPS[state](deps, checkout, context));
    known = undefined;
    if (last.kind === "order_written") order = last.order;
    const next = nextState(state, last.kind);
    if (next === state) {
      // nothing more now; but first make sure nobody else moved the row meanwhile
      const fresh = await findCheckout(deps.db, checkout.id);
      if (fresh && fresh.state !== state) {
        checkout = fresh;
        continue;
      }
      const countAttempt = context.by === "sweep";
      // an unknown payment outcome is remembered on the row: from then on the checkout may have been
      // charged; so is a failed authentication, which the buyer may answer with another card
      const facts =
        last.kind === "unknown" || last.kind === "payment_failed" ? { failure: factsOf(last).failure ?? null } : {};
      // never past the row's deadline: the hold only outlasts it by the sweep's reach (checkout.policy.ts)
      const due = now() + (countAttempt ? backoffMs(checkout.attempts) : STUCK_AFTER_MS);
      // (once it passed — a payment the bank still settles — the backoff applies again: no row is due every minute)
      const deadline = deadlineOf(state, checkout.createdAt);
      await deferCheckout(
        deps.db,
        checkout.id,
        state,
        deadline !== undefined && deadline > now() ? Math.min(due, deadline) : due,
        countAttempt,
        facts,
      );
      checkout = { ...checkout, ...facts };
      break;
    }
    if (next === "compensating" && "error" in last) cause = last.error;
    if (next === "charged") {
      // the move into `charged` rides in the order batch (one round trip for both); the order step
      // is the `charged` state's own, so the table is unchanged
      const charged = { ...checkout, ...factsOf(last) };
      const written = await STEPS.charged(deps, charged, context);
      if (written.kind === "order_written") {
        last = written;
        order = written.order;
        checkout = { ...charged, state: nextState("charged", written.kind) };
        continue;
      }
      // nothing was written, the move neither: store the payment id on its own, then follow the batch's outcome
      known = written;
    }
    const moved = await moveCheckout(deps.db, checkout.id, state, next, factsOf(last), now(), STUCK_AFTER_MS);
    // lost the compare-and-set: someone else moved it; follow the state they left
    checkout = moved ?? (await findCheckout(deps.db, checkout.id)) ?? checkout;
    if (!moved) {
      known = undefined;
      continue;
    }
    deps.faults?.crash(`after_move:${next}` as CrashPoint);
  }
  return { checkout, last, cause, order };
}

/** The reservation's commit is bookkeeping after the order exists: the request does it after answering. */
async function commitAfterAnswer(deps: CheckoutDeps, checkout: CheckoutRow, context: StepContext): Promise<void> {
  if (context.by === "request" && deps.background) {
    deps.background(() =>
      commitCheckoutStock(deps, checkout).catch((error: unknown) => {
        if (!isSimulatedCrash(error))
          log.warn("stock commit deferred to the sweep", { checkoutId: checkout.id, error: String(error) });
      }),
    );
    return;
  }
  try {
    await commitCheckoutStock(deps, checkout);
  } catch (error) {
    // the sweep backs the row off and commits it later; a request's order already stands
    if (isSimulatedCrash(error) || context.by === "sweep") throw error;
    log.warn("stock commit deferred to the sweep", { checkoutId: checkout.id, error: String(error) });
  }
}
