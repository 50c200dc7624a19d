/** Shapes of the admin payment views: the test provider's ledger and reconciliation's mismatches. */
import * as z from "zod";
import { MISMATCH_KINDS } from "../../db/schema";
import { pageSchema, paginationQuerySchema } from "../../platform/pagination";

export const ledgerEntrySchema = z
  .object({
    id: z.string(),
    kind: z.enum(["charge", "authorization", "capture", "void", "refund"]).openapi({
      description:
        "charge: taken at once (automatic capture); authorization: held on the card (manual capture), " +
        "then a capture takes some of it or a void releases it",
    }),
    paymentId: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    idempotencyKey: z.string(),
    status: z
      .enum([
        "succeeded",
        "declined",
        "refunded",
        "requires_action",
        "canceled",
        "authorized",
        "voided",
        "pending",
        "failed",
      ])
      .openapi({
        description:
          "A charge or authorization: where the payment stands now — succeeded (taken), declined, refunded " +
          "(fully), requires_action (waits for the buyer's authentication), canceled (its window passed), " +
          "authorized (held, not taken) or voided. A capture or void: succeeded. A refund: succeeded, " +
          "pending or failed.",
      }),
    orderId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("TestLedgerEntry");
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const ledgerPageSchema = pageSchema(ledgerEntrySchema, "TestLedgerPage");

export const mismatchSchema = z
  .object({
    id: z.string(),
    kind: z.enum(MISMATCH_KINDS),
    provider: z.string(),
    paymentId: z.string(),
    checkoutId: z.string().nullable(),
    orderId: z.string().nullable(),
    amount: z.number().int(),
    currency: z.string(),
    detail: z.string(),
    status: z.enum(["open", "resolved"]),
    action: z.string().nullable(),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
  })
  .openapi("PaymentMismatch");

export const mismatchPageSchema = pageSchema(mismatchSchema, "PaymentMismatchPage");
export const mismatchQuerySchema = paginationQuerySchema.extend({
  status: z.enum(["open", "resolved"]).default("open"),
});

export const reconcileRunSchema = z
  .object({
    checked: z
      .number()
      .int()
      .openapi({ description: "Succeeded charges of the window compared with Motor's orders, checkouts and refunds" }),
    refunded: z.number().int().openapi({ description: "Orphan charges refunded by this run" }),
    mismatches: z.number().int().openapi({
      description: "Findings of this run (refunded orphans included), whether or not an earlier run recorded them",
    }),
    newMismatches: z
      .number()
      .int()
      .openapi({ description: "Findings seen for the first time (recorded and audited now)" }),
    from: z.string().openapi({ description: "Start of the window compared (the last 48 h)" }),
    ranAt: z.string(),
  })
  .openapi("ReconcileRun");
export type ReconcileRun = z.infer<typeof reconcileRunSchema>;

/** Keyset cursor of both lists: (createdAt or firstSeenAt, id), ascending. */
export const ledgerCursorSchema = z.object({ t: z.number().int(), id: z.string().max(64) });
