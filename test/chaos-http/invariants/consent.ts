/**
 * The buyer's consent (docs/checkout.md, "The buyer's consent"): a checkout that names a total is
 * charged exactly that total, or nothing. C1 every order's total is its key's; C2 a 409
 * price-changed charged nothing; C3 a refusal of `expectedTotal` alone names another total.
 * How keys and charges are matched: docs/checkout.md, "The HTTP chaos run", the verdict.
 */
import type { Consent, Journal, KeyRecord } from "../journal";
import type { LedgerEntry, Money, OrderView } from "../shapes";

export interface ConsentFigures {
  /** Keys that named a total, and v1 keys that did not. */
  consented: number;
  v1: number;
  priceChanged: number;
}

const label = (amount: number, currency: string) => `${amount} ${currency.toUpperCase()}`;
const agrees = (consent: Consent, total: Money) =>
  label(consent.total, consent.currency) === label(total.amount, total.currency);

export function consentViolations(
  ledger: LedgerEntry[],
  orders: OrderView[],
  journal: Journal,
): { violations: string[]; figures: ConsentFigures } {
  const violations: string[] = [];
  const keys = distinctKeys(journal);
  const figures: ConsentFigures = { consented: 0, v1: 0, priceChanged: 0 };
  for (const key of keys.values()) {
    if (key.consent) figures.consented += 1;
    else figures.v1 += 1;
    if (key.priceChanged) figures.priceChanged += 1;
  }

  for (const order of orders) {
    const sources = journal.sourcesOf(order.id, order.email);
    const named = [...keys.values()].filter((key) => key.orderId === order.id);
    const candidates =
      named.length > 0 ? named : sources.flatMap((cart) => cart.keys.filter((key) => key.outcome !== "final"));
    const total = label(order.total.amount, order.total.currency);
    if (candidates.length === 0)
      violations.push(
        `C1 order ${order.id} (${total}, ${order.email}) comes from no checkout a buyer made or left open`,
      );
    else if (candidates.every((key) => key.consent && !agrees(key.consent, order.total))) {
      const agreed = candidates.map(
        (key) =>
          `${key.key}: ` +
          `${label(key.consent!.total, key.consent!.currency)}${key.consent!.ifMatch ? ` (If-Match ${key.consent!.ifMatch})` : ""}`,
      );
      violations.push(
        `C1 order ${order.id} totals ${total}, but ` +
          `${named.length > 0 ? "its key" : "the keys its buyer left open"} consented to ` +
          `${agreed.join(", ")}`,
      );
    }
  }

  // C2: charges per amount against the keys that may have made them; v1 keys may have made any
  const slots = new Map<string, number>();
  let v1Slots = 0;
  for (const key of keys.values()) {
    if (key.priceChanged) continue;
    if (!key.consent) v1Slots += 1;
    else
      slots.set(
        label(key.consent.total, key.consent.currency),
        (slots.get(label(key.consent.total, key.consent.currency)) ?? 0) + 1,
      );
  }
  const leftOver: LedgerEntry[] = [];
  for (const charge of ledger.filter((entry) => entry.kind === "charge")) {
    const amount = label(charge.amount, charge.currency);
    const free = slots.get(amount) ?? 0;
    if (free > 0) slots.set(amount, free - 1);
    else leftOver.push(charge);
  }
  if (leftOver.length > v1Slots) {
    violations.push(
      `C2 ${leftOver.length} charges match no checkout key that consented to their amount, and only ${v1Slots} keys named no total: ` +
        leftOver
          .map(
            (charge) =>
              `${charge.paymentId} ${label(charge.amount, charge.currency)} ${charge.status} (order ${charge.orderId})`,
          )
          .join(", ")
          .slice(0, 1_500),
    );
  }

  for (const key of keys.values()) {
    const { consent, priceChanged } = key;
    if (priceChanged && consent?.expectedTotal && !consent.ifMatch && agrees(consent, priceChanged)) {
      violations.push(
        `C3 key ${key.key} sent expectedTotal ${label(consent.total, consent.currency)} and was refused ` +
          `with price-changed naming that same total`,
      );
    }
    if (priceChanged && key.orderId)
      violations.push(`C2 key ${key.key} was answered both price-changed and order ${key.orderId}`);
  }
  return { violations, figures };
}

/** One record per Idempotency-Key (a double click sends one key from two places; both saw the same answers). */
function distinctKeys(journal: Journal): Map<string, KeyRecord> {
  const keys = new Map<string, KeyRecord>();
  for (const cart of journal.carts.values()) {
    for (const key of cart.keys) {
      const known = keys.get(key.key);
      keys.set(
        key.key,
        known
          ? { ...known, orderId: known.orderId ?? key.orderId, priceChanged: known.priceChanged ?? key.priceChanged }
          : key,
      );
    }
  }
  return keys;
}
