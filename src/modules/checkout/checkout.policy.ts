/**
 * The checkout's clocks, in one place because they must agree: the stock a checkout holds
 * (STOCK_HOLD_MS) outlasts every deadline of that checkout (GIVE_UP_MS, BUYER_ACTION_WINDOW_MS) plus
 * the time the sweep needs to act on them, or units could be sold to someone else while this buyer
 * still pays. `checkout.policy.test.ts` shows the hold covering the window. docs/checkout.md, "The
 * checkout's clocks".
 */

/** Longer than any live request: a row this quiet belongs to an attempt that died, and the sweep takes it. */
export const STUCK_AFTER_MS = 2 * 60 * 1000;

/** An unknown payment outcome is pursued this long after the checkout started; then the hold is released. */
export const GIVE_UP_MS = 15 * 60 * 1000;

/** How long the buyer has to authenticate (3-D Secure) after the checkout started; then the payment is cancelled. */
export const BUYER_ACTION_WINDOW_MS = 15 * 60 * 1000;

/** The sweep's cron period (`* * * * *`). */
export const SWEEP_PERIOD_MS = 60 * 1000;

/** What the sweep's own work may take once it reached a row (cancel the payment, release the hold). */
export const SWEEP_SLACK_MS = 2 * 60 * 1000;

/** How long a checkout's reservation holds its units: past every deadline of the checkout, and the sweep's reach. */
export const STOCK_HOLD_MS = Math.max(GIVE_UP_MS, BUYER_ACTION_WINDOW_MS) + SWEEP_PERIOD_MS + SWEEP_SLACK_MS;

/**
 * What one client may hold at once (a hold waiting for a buyer invites denial of inventory: one
 * anonymous checkout could hold every unit of a scarce SKU for the whole window). A client is an
 * account, or the address of an anonymous buyer (`clientKeyOf`). More live checkouts than this is a
 * 429; a checkout asking more units of one SKU than this is a 422 before anything is held.
 */
export const MAX_LIVE_HOLDS_PER_CLIENT = 3;
export const MAX_UNITS_PER_SKU_PER_CHECKOUT = 10;

/** The longest the sweep waits before looking at a row again (its backoff doubles from STUCK_AFTER_MS up to this). */
export const MAX_BACKOFF_MS = 60 * 60 * 1000;

/** Finished checkouts are kept this long for support questions; the order keeps everything after. */
export const CHECKOUT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** When a waiting checkout must be decided: the sweep never backs off past it. */
export function deadlineOf(state: string, createdAt: number): number | undefined {
  if (state === "requires_action") return createdAt + BUYER_ACTION_WINDOW_MS;
  if (state === "charging") return createdAt + GIVE_UP_MS;
  return undefined;
}
