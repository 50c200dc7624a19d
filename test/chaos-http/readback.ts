/**
 * Reading Motor's own record back over HTTP after (and before) the run: every page of a list
 * (`nextCursor`), the test provider's ledger, the orders with their staff view, stock levels.
 * Reads retry what the run itself may cause (a 429, a 503 with Retry-After) so that a busy server
 * cannot turn into a false verdict; anything else fails loudly.
 */
import { retryAfterMs, sleep, type Answer, type Client } from "./client";
import type { AdminOrderView, LedgerEntry, Mismatch, OrderView, Page, StockLevel } from "./shapes";

/**
 * One GET, retried on 429, any 5xx and no answer (bounded: reads are idempotent, and an unexpected
 * 5xx was already counted by the Recorder, so the verdict still comes); throws on anything else.
 */
export async function read<T>(client: Client, path: string, token?: string): Promise<T> {
  let answer: Answer | undefined;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    answer = await client.send(path, { token });
    if (answer.status === 200) return answer.body as T;
    const transient = answer.status === 0 || answer.status === 429 || answer.status >= 500;
    if (!transient) break;
    await sleep(retryAfterMs(answer, 500, 3_000));
  }
  throw new Error(`GET ${path} answered ${answer?.status}: ${answer?.text.slice(0, 300)}`);
}

/** Every item of a cursor-paginated list. */
export async function allPages<T>(client: Client, path: string, token?: string): Promise<T[]> {
  const items: T[] = [];
  const separator = path.includes("?") ? "&" : "?";
  let cursor: string | null = null;
  do {
    const page: Page<T> = await read<Page<T>>(
      client,
      `${path}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      token,
    );
    items.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export const readLedger = (client: Client, token: string) =>
  allPages<LedgerEntry>(client, "/v1/admin/payments/test-ledger", token);

/** The ledger entries of the run: made after `before` was read, refunds of earlier charges left out. */
export function entriesSince(ledger: LedgerEntry[], before: Set<string>): LedgerEntry[] {
  const earlierCharges = new Set(
    ledger.filter((entry) => entry.kind === "charge" && before.has(entry.id)).map((entry) => entry.paymentId),
  );
  return ledger.filter((entry) => !before.has(entry.id) && !earlierCharges.has(entry.paymentId));
}
export const readOpenMismatches = (client: Client, token: string) =>
  allPages<Mismatch>(client, "/v1/admin/payments/mismatches?status=open", token);
export const readOrders = (client: Client, token: string) => allPages<OrderView>(client, "/v1/admin/orders", token);
export const readStock = (client: Client, token: string, sku: string) =>
  read<StockLevel>(client, `/v1/admin/inventory/${encodeURIComponent(sku)}`, token);

/** The staff view of each order (payments, refunds, timeline), a few at a time. */
export async function readOrderDetails(
  client: Client,
  token: string,
  ids: string[],
  concurrency = 4,
): Promise<Map<string, AdminOrderView>> {
  const details = new Map<string, AdminOrderView>();
  const queue = [...ids];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift())
        details.set(id, await read<AdminOrderView>(client, `/v1/admin/orders/${id}`, token));
    }),
  );
  return details;
}
