/**
 * The checkout saga: steps with undo, keyed by the checkout id, resumable from the durable state.
 *
 *   state      step            effect                               compensation (undo)
 *   reserving  reserve stock   StockLock holds (reservation = id)    release the reservation
 *   charging   charge          provider charge (idempotency key = id) refund (key = id:refund)
 *   charged    write order     ONE D1 batch (order, lines, stock,    — (the batch is atomic:
 *                              discount, cart, idempotency, events)     all or nothing)
 *   completed  commit stock    StockLock drops the reservation       — (best effort; the alarm
 *                                                                       or the sweep finishes it)
 *
 * Each step is registered with its compensation BEFORE it runs (a step that fails half-way, e.g.
 * a reservation on one of two SKUs, is undone too; every undo is idempotent). A failure runs the
 * compensations of every step reached, newest first, after moving the checkout to `compensating`
 * (so the sweep and a retry cannot both act); a compensation that fails leaves it there and the
 * sweep tries again.
 */
import type { Database } from "../../db/client";
import type { CheckoutState } from "../../db/schema";
import type { Env } from "../../env";
import type { IdempotencyClaim } from "../idempotency/idempotency.service";
import { commitStock, DEFAULT_RESERVATION_TTL_MS, releaseStock, reserveStock } from "../inventory/inventory.service";
import type { PaymentProvider } from "../payments/payment-provider";
import type { ServerTimings } from "../../platform/timing";
import { ConflictError } from "../../platform/errors";
import type { Currency } from "../../platform/money";
import { markStockCommitted, moveCheckout, type CheckoutRow } from "./checkout.repository";
import type { CheckoutSnapshot } from "./checkout.schemas";
import type { OrderView } from "../orders/orders.schemas";
import { writeOrder } from "./checkout.write-order";

export interface CheckoutDeps {
  db: Database;
  env: Pick<Env, "STOCK_LOCK">;
  payments: PaymentProvider;
  timings?: ServerTimings;
  reservationTtlMs?: number;
}

export const snapshotOf = (checkout: CheckoutRow) => checkout.snapshot as unknown as CheckoutSnapshot;
const itemsOf = (checkout: CheckoutRow) => snapshotOf(checkout).lines.map(({ sku, quantity }) => ({ sku, quantity }));

type Undo = { name: string; run: () => Promise<void> };

/** The compensations a checkout has accumulated by the time it reached `state`. */
export function compensationsFor(deps: CheckoutDeps, checkout: CheckoutRow, state: CheckoutState, paymentId: string | null): Undo[] {
  const undo: Undo[] = [];
  if (state !== "completed") undo.push({ name: "release stock", run: () => releaseStock(deps.env, checkout.id, itemsOf(checkout), deps.timings) });
  if (paymentId) undo.push({ name: "refund payment", run: async () => void (await deps.payments.refund({ paymentId, idempotencyKey: `${checkout.id}:refund` })) });
  return undo.reverse();
}

/** Runs the undo steps; the checkout ends `compensated`, or stays `compensating` for the sweep. */
export async function compensate(deps: CheckoutDeps, checkout: CheckoutRow, from: CheckoutState, paymentId: string | null, failure: string): Promise<boolean> {
  if (from !== "compensating" && !(await moveCheckout(deps.db, checkout.id, from, "compensating", { failure }))) return false;
  for (const step of compensationsFor(deps, checkout, from === "compensating" ? "charged" : from, paymentId)) await step.run();
  return moveCheckout(deps.db, checkout.id, "compensating", "compensated");
}

export class StepFailed extends Error {
  constructor(readonly original: unknown, readonly state: CheckoutState, readonly paymentId: string | null) {
    super("checkout step failed", { cause: original });
  }
}

async function advance(db: Database, checkout: CheckoutRow, from: CheckoutState, to: CheckoutState, changes: { paymentId?: string } = {}): Promise<void> {
  if (!(await moveCheckout(db, checkout.id, from, to, changes))) {
    throw new ConflictError({ detail: "This checkout was taken over by another attempt; retry with the same Idempotency-Key", headers: { "Retry-After": "1" } });
  }
}

/** Runs the remaining steps of a checkout from its durable state; a failure is wrapped in StepFailed. */
export async function runSaga(deps: CheckoutDeps, checkout: CheckoutRow, claim: IdempotencyClaim | undefined): Promise<OrderView> {
  let state = checkout.state;
  let paymentId = checkout.paymentId;
  const snapshot = snapshotOf(checkout);
  let view: OrderView;
  try {
    if (state === "reserving") {
      const reserved = await reserveStock(deps.env, checkout.id, itemsOf(checkout), deps.reservationTtlMs ?? DEFAULT_RESERVATION_TTL_MS, deps.timings);
      if (!reserved.ok) throw new ConflictError({ detail: `Out of stock: ${reserved.unavailable.join(", ")}`, extensions: { skus: reserved.unavailable } });
      await advance(deps.db, checkout, "reserving", "charging");
      state = "charging";
    }
    if (state === "charging") {
      const charge = await deps.payments.charge({
        amount: checkout.amount, currency: checkout.currency as Currency, paymentMethod: checkout.paymentMethod,
        idempotencyKey: checkout.id, description: `Motor order ${snapshot.orderId}`,
      });
      paymentId = charge.paymentId;
      await advance(deps.db, checkout, "charging", "charged", { paymentId });
      state = "charged";
    }
    if (state !== "charged" || !paymentId) throw new Error(`checkout ${checkout.id} cannot write its order from ${state}`);
    view = await writeOrder(deps, checkout, snapshot, { provider: deps.payments.name, paymentId }, claim);
  } catch (error) {
    throw new StepFailed(error, state, paymentId);
  }
  // After the batch the order stands whatever happens here: an uncommitted reservation expires by
  // alarm with the same net effect (on_hand is already lower), and the sweep retries the commit sooner.
  try {
    await commitStock(deps.env, checkout.id, itemsOf(checkout), deps.timings);
    await markStockCommitted(deps.db, checkout.id);
  } catch (error) {
    console.error(JSON.stringify({ level: "warn", msg: "stock commit deferred to the sweep", checkoutId: checkout.id, error: String(error) }));
  }
  return view;
}
