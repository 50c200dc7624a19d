/**
 * After the load: quiesce, read Motor's record back, judge it, and say so in one summary line
 * plus one finding per problem. Reading back can itself meet the bugs the run is looking for (it
 * did: concurrent reads from one IP answered raw 500s before the rate-limit fix), so a failed
 * read-back is a finding next to the Recorder's, never a crash that hides them.
 */
import { cartLockViolations, type CartLockFigures } from "./invariants/cart-lock";
import { consentViolations, type ConsentFigures } from "./invariants/consent";
import { moneyViolations, type MoneyFigures } from "./invariants/money";
import { stockViolations, type StockFigures } from "./invariants/stock";
import { webhookViolations, type WebhookFigures } from "./invariants/webhooks";
import { STAFF_IP } from "./plan";
import { quiesce, type Rest } from "./quiesce";
import { entriesSince, readLedger, readOpenMismatches, readOrderDetails, readOrders } from "./readback";
import { staffLogin, type World } from "./world";

export interface Verdict {
  summary: string;
  findings: string[];
}

export async function judge(world: World, loadMs: number, cronFailures: string[], crashes: string[]): Promise<Verdict> {
  const { recorder, journal, seed } = world;
  const reader = world.client("verdict", STAFF_IP);
  const judged: string[] = [];
  let rest: Rest | undefined;
  let orders = 0;
  let money: MoneyFigures | undefined;
  let stock: StockFigures | undefined;
  let consent: ConsentFigures | undefined;
  let lock: CartLockFigures | undefined;
  let webhooks: WebhookFigures | undefined;
  try {
    // the session outlives the run (10 min), but a fresh one costs nothing and rules that out
    world.staffToken = await staffLogin(reader);
    rest = await quiesce(world, reader, cronFailures);
    const ledger = entriesSince(await readLedger(reader, world.staffToken), world.existingLedger);
    const listed = (await readOrders(reader, world.staffToken)).filter((order) => !world.existingOrders.has(order.id));
    const details = await readOrderDetails(
      reader,
      world.staffToken,
      listed.map((order) => order.id),
    );
    orders = listed.length;
    const mismatches = await readOpenMismatches(reader, world.staffToken);
    const moneyVerdict = moneyViolations(ledger, listed, details, journal);
    const stockVerdict = stockViolations(world, listed, details, rest.levels);
    const consentVerdict = consentViolations(ledger, listed, journal);
    const lockVerdict = cartLockViolations(listed, journal);
    const webhookVerdict = webhookViolations(details, mismatches, journal);
    money = moneyVerdict.figures;
    stock = stockVerdict.figures;
    consent = consentVerdict.figures;
    lock = lockVerdict.figures;
    webhooks = webhookVerdict.figures;
    judged.push(
      ...section("money", moneyVerdict.violations),
      ...section("stock", stockVerdict.violations),
      ...section("consent", consentVerdict.violations),
      ...section("cart lock", lockVerdict.violations),
      ...section("payment event", webhookVerdict.violations),
    );
  } catch (error) {
    judged.push(`the invariants could not be judged: ${error instanceof Error ? error.message : String(error)}`);
  }

  const classes = Object.entries(recorder.classes())
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${name}=${count}`)
    .join(" ");
  const summary =
    `CHAOS_HTTP seed=${seed} load=${Math.round(loadMs / 1000)}s ` +
    `quiesce=${rest ? `${Math.round(rest.ms / 1000)}s${rest.quiet ? "" : "(not quiet)"}` : "-"} ` +
    (`requests=${recorder.requests} ${classes} 429=${recorder.count(429)} ` +
      `503-expected=${recorder.expectedUnavailable} unexpected-5xx=${recorder.unexpected.length} `) +
    (`contract-violations=${recorder.violations.length} ` +
      `carts=${[...journal.carts.values()].filter((cart) => cart.keys.length > 0).length} ` +
      `orders=${orders} charges=${money?.charges ?? "-"} declined=${money?.declined ?? "-"} `) +
    (`refunds=${money?.refunds ?? "-"} refunds-pending=${money?.pendingRefunds ?? "-"} ` +
      `compensated=${money?.compensated ?? "-"} in-flight=${money?.inFlight ?? "-"} `) +
    (`stuck-checkouts=${journal.keysBy("stuck")} units-sold=${stock?.sold ?? "-"} ` +
      `restocked=${stock?.restocked ?? "-"} stock-sets=${stock?.sets ?? "-"} ` +
      `ranged-skus=${stock?.ranged ?? "-"} `) +
    `keys-consenting=${consent?.consented ?? "-"} keys-v1=${consent?.v1 ?? "-"} price-changed=${consent?.priceChanged ?? "-"} ` +
    `tab-edits=${lock ? `${lock.tabAccepted}x2xx/${lock.tabRefused}x409` : "-"} lines-unjudged=${lock?.unjudged ?? "-"} ` +
    (`events=${webhooks?.delivered ?? "-"} early-events=${webhooks?.early ?? "-"} ` +
      `duplicates=${webhooks?.duplicates ?? "-"} ` +
      `failed-after-success=${webhooks?.failedAfterSuccess ?? "-"} flagged=${webhooks?.flagged ?? "-"}`);

  const findings = [
    ...recorder.report(),
    ...judged,
    ...section("hostile requests", journal.hostileFindings),
    ...section("crons", cronFailures),
    ...section("actors", crashes),
    // a run that sold nothing, or was mostly turned away, proves nothing
    ...(journal.orders.size === 0 ? ["the run sold nothing (too many 429s, or a broken checkout)"] : []),
    ...(recorder.count(429) > recorder.requests / 2
      ? [`${recorder.count(429)} of ${recorder.requests} answers were 429: the load did little real work`]
      : []),
  ];
  return { summary, findings };
}

function section(title: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : [`${lines.length} ${title} violation(s):`, ...lines.map((line) => `  ${line}`)];
}
